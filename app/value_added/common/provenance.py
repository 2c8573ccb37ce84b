"""Values derived from cached records, kept while those records are (DerivedCache)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

from app.caching.budget import size_of
from app.caching.provenance import Provenance, note_derived_from, tracking
from app.foundation.cache import RecordCache
from app.telemetry.metrics import CacheMeter

V = TypeVar("V")


class DerivedCache(Generic[V]):
    """Values derived from cached records, kept while every record they came from is still the
    current one (so a write to any of them, here or in another process, is seen at once).
    Least recently used out first beyond the budget's `derived` share (estimated sizes)."""

    def __init__(self, records: RecordCache) -> None:
        self._records = records
        self._items: OrderedDict[Hashable, tuple[V, Provenance, int]] = OrderedDict()
        self._max_bytes = records.budget.derived
        self.bytes = 0
        self._meter = CacheMeter("derived")

    async def get(self, key: Hashable, build: Callable[[], Awaitable[V]]) -> V:
        found = self._items.get(key)
        if found is not None:
            value, provenance, size = found
            if self._records.vouches_for(provenance):
                note_derived_from(provenance)  # whoever uses the value depends on its records
                self._items.move_to_end(key)
                self._meter.hits.inc()
                return value
            del self._items[key]
            self.bytes -= size
        self._meter.misses.inc()
        with tracking() as provenance:
            value = await build()
        if provenance.complete and provenance.valid_until is None:
            size = size_of(value)
            self._items[key] = (value, provenance, size)
            self.bytes += size
            while self.bytes > self._max_bytes and self._items:
                self.bytes -= self._items.popitem(last=False)[1][2]
                self._meter.evictions.inc()
            self._meter.bytes.set(self.bytes)
        return value
