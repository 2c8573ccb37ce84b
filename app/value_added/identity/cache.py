"""A small in-process TTL cache of principals keyed by access-token hash."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Iterable

from app.value_added.identity.aggregates import Principal


class PrincipalCache:
    """Bounded LRU with a TTL; invalidation bumps an epoch so a racing read cannot re-cache.

    A principal read from the database while a revocation happened in this process carries the
    epoch it started at; `put` ignores it when the epoch has moved on since.
    """

    def __init__(
        self,
        ttl: float = 30.0,
        max_size: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl
        self._max_size = max_size
        self._clock = clock
        self._entries: OrderedDict[str, tuple[float, Principal]] = OrderedDict()
        self._epoch = 0

    @property
    def epoch(self) -> int:
        return self._epoch

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, token_hash: str) -> Principal | None:
        entry = self._entries.get(token_hash)
        if entry is None:
            return None
        stored_at, principal = entry
        if self._clock() - stored_at >= self._ttl:
            del self._entries[token_hash]
            return None
        self._entries.move_to_end(token_hash)
        return principal

    def put(self, principal: Principal, epoch: int) -> None:
        if epoch != self._epoch or self._ttl <= 0:
            return
        self._entries[principal.token_hash] = (self._clock(), principal)
        self._entries.move_to_end(principal.token_hash)
        while len(self._entries) > self._max_size:
            self._entries.popitem(last=False)

    def invalidate(self, token_hashes: Iterable[str]) -> None:
        self._epoch += 1
        for token_hash in token_hashes:
            self._entries.pop(token_hash, None)

    def invalidate_app(self, app_id: int) -> None:
        """Drop every principal of one app (its partner grants changed)."""
        self._epoch += 1
        for token_hash in [h for h, (_, p) in self._entries.items() if p.app.id == app_id]:
            del self._entries[token_hash]

    def clear(self) -> None:
        self._epoch += 1
        self._entries.clear()
