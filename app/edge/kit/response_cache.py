"""The edge's representation cache: a catalogue GET is answered again with the bytes built for the
same caller and URL while every record they were built from is still the current one."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import NamedTuple

from app.caching.provenance import Provenance
from app.telemetry.metrics import CacheMeter

MAX_AGE = 30.0
"""Longest life of an entry (seconds). Records are checked on every hit, so this bounds only
what records do not capture: signed media URLs in a representation (valid for minutes) keep at
least their lifetime minus this."""
MAX_ENTRIES = 20_000


class Representation(NamedTuple):
    """A 200 response as the gateway finished it, before per-request headers."""

    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes
    provenance: Provenance
    expires: float


class ResponseCache:
    """Key → Representation, least recently used out first beyond `max_entries`/`max_bytes`.

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
        max_entries: int = MAX_ENTRIES,
        max_age: float = MAX_AGE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._current = current
        self._entries: OrderedDict[Hashable, Representation] = OrderedDict()
        self._bytes = 0
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._max_age = max_age
        self._clock = clock
        self.hits = 0
        self.misses = 0
        self._meter = CacheMeter("responses")

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> Representation | None:
        found = self._entries.get(key)
        if found is not None:
            if found.expires > self._clock() and self._current(found.provenance):
                self._entries.move_to_end(key)
                self.hits += 1
                self._meter.hits.inc()
                return found
            self._drop(key)
        self.misses += 1
        self._meter.misses.inc()
        return None

    def put(
        self,
        key: Hashable,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
        etag: bytes,
        provenance: Provenance,
    ) -> None:
        """Keep a representation built only from cached records (nothing else can be checked)."""
        if not provenance.complete or len(body) > self._max_bytes // 16:
            return
        self._drop(key)
        expires = self._clock() + self._max_age
        self._entries[key] = Representation(headers, body, etag, provenance, expires)
        self._bytes += len(body)
        while len(self._entries) > self._max_entries or self._bytes > self._max_bytes:
            _, evicted = self._entries.popitem(last=False)
            self._bytes -= len(evicted.body)
            self._meter.evictions.inc()
        self._meter.bytes.set(self._bytes)

    def _drop(self, key: Hashable) -> None:
        gone = self._entries.pop(key, None)
        if gone is not None:
            self._bytes -= len(gone.body)

    def clear(self) -> None:
        self._entries.clear()
        self._bytes = 0
        self._meter.bytes.set(0)
