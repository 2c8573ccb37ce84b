"""The edge's representation cache: a catalogue GET is answered again with the bytes built for the
same caller and URL while every record they were built from is still the current one."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import NamedTuple

from app.caching.budget import ENTRY_OVERHEAD
from app.caching.lru import ByteBoundedLRU
from app.caching.provenance import Provenance

MAX_AGE = 30.0
"""Longest life of an entry (seconds). Records are checked on every hit, so this bounds only
what records do not capture: signed media URLs in a representation (valid for minutes) keep at
least their lifetime minus this."""


class Representation(NamedTuple):
    """A 200 response as the gateway finished it, before per-request headers."""

    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes
    provenance: Provenance
    expires: float


class ResponseCache:
    """Key → Representation, least recently used out first beyond `max_bytes` (the budget's
    `responses` share; a representation is charged its body, its headers and an entry's
    overhead).

    `current(provenance)` decides validity on every hit (the value-added services know whether
    the records are still the cached ones and whether a time-dependent decision has changed),
    so a write anywhere — in this process or, through the records bus, in another — is seen by
    the very next request. The key must hold everything else the bytes depend on: the URL and
    the caller (app, entitlements, viewer, token scopes) and any header the BFF varies on.
    """

    def __init__(
        self,
        current: Callable[[Provenance], bool],
        *,
        max_bytes: int,
        max_age: float = MAX_AGE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._current = current
        self._entries: ByteBoundedLRU[Hashable, Representation] = ByteBoundedLRU(
            "responses", max_bytes, expired=self._expired
        )
        self._max_age = max_age
        self._clock = clock
        self.enabled = max_bytes > 0
        """False with no budget (RESPONSE_CACHE off): the gateway does not even look."""

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def hits(self) -> int:
        return self._entries.hits

    @property
    def misses(self) -> int:
        return self._entries.misses

    @property
    def bytes_held(self) -> int:
        """The estimated size of every representation held."""
        return self._entries.bytes

    def _expired(self, found: Representation) -> bool:
        return found.expires <= self._clock()

    def _holds(self, found: Representation) -> bool:
        return found.expires > self._clock() and self._current(found.provenance)

    def get(self, key: Hashable) -> Representation | None:
        return self._entries.get(key, self._holds)

    def put(
        self,
        key: Hashable,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
        etag: bytes,
        provenance: Provenance,
    ) -> None:
        """Keep a representation built only from cached records (nothing else can be checked)."""
        if not provenance.complete:
            self._entries.pop(key)
            return
        expires = self._clock() + self._max_age
        size = ENTRY_OVERHEAD + len(body) + sum(len(k) + len(v) for k, v in headers)
        self._entries.put(key, Representation(headers, body, etag, provenance, expires), size)

    def clear(self) -> None:
        self._entries.clear()
