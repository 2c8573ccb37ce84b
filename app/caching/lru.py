"""A least-recently-used map bounded by the estimated bytes of its values, counted by one meter:
the one eviction policy of every cache that draws on the budget except the record cache."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from app.telemetry.metrics import CacheMeter

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class ByteBoundedLRU(Generic[K, V]):
    """key → value with a size each; a hit refreshes recency, and the least recently used go
    first once the sizes pass `max_bytes`. A value larger than a sixteenth of the bound is
    never kept (one value never crowds out most of the others).

    With `expired`, every `put` also drops the least recently used entries for as long as they
    have expired, so a cache of short-lived values holds what is still young rather than filling
    its whole bound with what can never be served again (each entry is dropped once: O(1)
    amortised per put)."""

    def __init__(
        self, name: str, max_bytes: int, expired: Callable[[V], bool] | None = None
    ) -> None:
        self._entries: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._max_bytes = max_bytes
        self._expired = expired
        self.bytes = 0
        """The estimated size of every value held, at most `max_bytes`."""
        self.meter = CacheMeter(name)
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: K, valid: Callable[[V], bool] | None = None) -> V | None:
        """The value, now the most recently used (a hit); None (a miss) when absent, or when
        `valid(value)` says it no longer holds — then it is dropped too."""
        found = self._entries.get(key)
        if found is not None:
            if valid is None or valid(found[0]):
                self._entries.move_to_end(key)
                self.hits += 1
                self.meter.looked_up(1, 0)
                return found[0]
            self.pop(key)
        self.misses += 1
        self.meter.looked_up(0, 1)
        return None

    def put(self, key: K, value: V, size: int) -> None:
        self.pop(key)
        if size > self._max_bytes // 16:
            return
        self._entries[key] = (value, size)
        self.bytes += size
        if self._expired is not None:
            self._drop_expired(self._expired)
        evicted = 0
        while self.bytes > self._max_bytes:
            self.bytes -= self._entries.popitem(last=False)[1][1]
            evicted += 1
        if evicted:
            self.meter.evictions.inc(evicted)
        self.meter.bytes.set(self.bytes)

    def _drop_expired(self, expired: Callable[[V], bool]) -> None:
        entries = self._entries
        while entries:
            oldest = next(iter(entries.values()))
            if not expired(oldest[0]):
                return
            entries.popitem(last=False)
            self.bytes -= oldest[1]

    def pop(self, key: K) -> V | None:
        gone = self._entries.pop(key, None)
        if gone is None:
            return None
        self.bytes -= gone[1]
        self.meter.bytes.set(self.bytes)
        return gone[0]

    def items(self) -> list[tuple[K, V]]:
        """Every entry, least recently used first (a snapshot: `pop` while iterating is safe)."""
        return [(key, value) for key, (value, _) in self._entries.items()]

    def clear(self) -> None:
        self._entries.clear()
        self.bytes = 0
        self.meter.bytes.set(0)
