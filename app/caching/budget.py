"""One byte budget for the process's caches (CACHE_MAX_BYTES), split in fixed shares, and the
estimate of what a cached value costs in memory."""

from __future__ import annotations

import sys
from typing import Any, NamedTuple

import msgspec

DEFAULT_MAX_BYTES = 256 * 1024 * 1024
ENTRY_OVERHEAD = 100
"""Bytes every entry costs beyond its value (its key, tuple, the dictionary slot)."""

_encoder = msgspec.msgpack.Encoder()


class CacheBudget(NamedTuple):
    """The shares of one budget: records (and search pages) first, since every other cache is
    built from them and is only worth keeping while they are; the edge's representations;
    values derived from records (an app's public view); who access tokens speak for; where
    the music players' offset listings resume."""

    records: int
    responses: int
    derived: int
    principals: int = 0
    positions: int = 0

    @classmethod
    def split(cls, total: int = DEFAULT_MAX_BYTES) -> CacheBudget:
        return cls(
            records=total * 60 // 100,
            responses=total * 28 // 100,
            derived=total * 8 // 100,
            principals=total * 3 // 100,
            positions=total // 100,
        )


def size_of(value: Any) -> int:
    """Estimated bytes `value` holds in memory: twice its msgpack size plus ENTRY_OVERHEAD
    (measured: a track record of 335 msgpack bytes holds about 620 in CPython), so a search
    page of 200 tracks costs 200 times what one track does, not one entry."""
    try:
        encoded = len(_encoder.encode(value))
    except (TypeError, msgspec.EncodeError):
        encoded = sys.getsizeof(value)
    return ENTRY_OVERHEAD + 2 * encoded
