"""One byte budget for the process's caches (CACHE_MAX_BYTES), split in fixed shares, and the
estimate of what a cached value costs in memory."""

from __future__ import annotations

import sys
from typing import Any, NamedTuple

import msgspec

DEFAULT_MAX_BYTES = 256 * 1024 * 1024
ENTRY_OVERHEAD = 250
"""Bytes every entry costs beyond its value: its key and entry tuples, the ordered
dictionary's slot and link (measured: ~170 bytes traced), and the allocator's share."""
VALUE_FACTOR = 2.5
"""Bytes a value holds in the process per byte of its msgpack form (Python objects,
string headers, the allocator's rounding)."""

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
    """Estimated bytes `value` costs the process's resident memory when cached: VALUE_FACTOR
    times its msgpack size plus ENTRY_OVERHEAD, so a search page of 200 tracks costs 200 times
    what one track does, not one entry. Calibrated (tracemalloc per kind, and the process's
    RSS under uniform reads of a 1M-track catalog) so that a public track view's six entries
    (track 362 msgpack bytes, policy 194, counts 59, media, owner 225, owner counts 360) are
    charged ~4.5 KB where they cost ~4.2 KB of RSS: the RSS a full cache adds stays within
    CACHE_MAX_BYTES (docs/architecture.md, "Caches")."""
    if type(value) is object:  # (a sentinel, e.g. the record cache's ABSENT: no exception)
        return ENTRY_OVERHEAD + int(VALUE_FACTOR * sys.getsizeof(value))
    try:
        encoded = len(_encoder.encode(value))
    except (TypeError, msgspec.EncodeError):
        encoded = sys.getsizeof(value)
    return ENTRY_OVERHEAD + int(VALUE_FACTOR * encoded)
