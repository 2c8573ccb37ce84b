"""Values derived from cached records, kept while those records are (DerivedCache)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

from app.caching.budget import size_of
from app.caching.lru import ByteBoundedLRU
from app.caching.provenance import Provenance, note_derived_from, tracking
from app.foundation.cache import RecordCache

V = TypeVar("V")


class DerivedCache(Generic[V]):
    """Values derived from cached records, kept while every record they came from is still the
    current one (so a write to any of them, here or in another process, is seen at once).
    Least recently used out first beyond the budget's `derived` share (estimated sizes)."""

    def __init__(self, records: RecordCache) -> None:
        self._records = records
        self._items: ByteBoundedLRU[Hashable, tuple[V, Provenance]] = ByteBoundedLRU(
            "derived", records.budget.derived
        )

    def _holds(self, item: tuple[V, Provenance]) -> bool:
        return self._records.vouches_for(item[1])

    async def get(self, key: Hashable, build: Callable[[], Awaitable[V]]) -> V:
        found = self._items.get(key, self._holds)
        if found is not None:
            value, provenance = found
            note_derived_from(provenance)  # whoever uses the value depends on its records
            return value
        with tracking() as provenance:
            value = await build()
        if provenance.complete and provenance.valid_until is None:
            self._items.put(key, (value, provenance), size_of(value))
        return value
