"""Provenance of results: the record-cache entries they were built from, for caches of derived
values here (DerivedCache) and of representations at the edge."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

from app.foundation.cache import Provenance, RecordCache, note_derived_from, tracking

__all__ = ["DerivedCache", "Provenance", "tracking"]

V = TypeVar("V")


class DerivedCache(Generic[V]):
    """Values derived from cached records, kept while every record they came from is still the
    current one (so a write to any of them, here or in another process, is seen at once)."""

    def __init__(self, records: RecordCache, max_entries: int = 10_000) -> None:
        self._records = records
        self._items: OrderedDict[Hashable, tuple[V, Provenance]] = OrderedDict()
        self._max = max_entries

    async def get(self, key: Hashable, build: Callable[[], Awaitable[V]]) -> V:
        found = self._items.get(key)
        if found is not None:
            value, provenance = found
            if self._records.vouches_for(provenance):
                note_derived_from(provenance)  # whoever uses the value depends on its records
                return value
            del self._items[key]
        with tracking() as provenance:
            value = await build()
        if provenance.complete and provenance.valid_until is None:
            self._items[key] = (value, provenance)
            while len(self._items) > self._max:
                self._items.popitem(last=False)
        return value
