"""A write unit of work's view of the record cache: reads of what it changed bypass the cache."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Iterable, Sequence
from typing import Any

from app.foundation.cache import CacheSession, RecordCache


class WriteCacheSession(CacheSession):
    """CacheSession for write units of work that read through the cache (`cached_reads`).

    Once the transaction changed a key, later reads of that key in the same transaction (the
    next command of a group commit, say) load it from the database, so they see the change,
    and do not store it in the shared cache, where other requests would read a value that is
    not committed yet (or never will be, after a rollback).
    """

    def __init__(self, cache: RecordCache, *, reads: bool) -> None:
        super().__init__(cache, reads=reads)
        self._written: dict[str, set[Hashable]] = {}

    def invalidate(self, kind: str, keys: Iterable[Hashable]) -> None:
        keys = list(keys)
        super().invalidate(kind, keys)
        if keys:
            self._written.setdefault(kind, set()).update(keys)

    async def read_through(
        self,
        kind: str,
        keys: Sequence[Hashable],
        load: Callable[[list[Hashable]], Awaitable[dict[Hashable, Any]]],
        *,
        negative: bool = False,
    ) -> dict[Hashable, Any]:
        written = self._written.get(kind)
        if written and not written.isdisjoint(keys):
            return await load(list(dict.fromkeys(keys)))
        return await super().read_through(kind, keys, load, negative=negative)

    def store(self, kind: str, values: dict[Hashable, Any], epoch: int) -> None:
        """Keep what was read along (a track's companions), as `read_through` keeps what it
        loads, except the keys this transaction changed: those may be uncommitted."""
        written = self._written.get(kind)
        if written:
            values = {k: v for k, v in values.items() if k not in written}
        super().store(kind, values, epoch)

    def store_kinds(self, batches: Sequence[tuple[str, dict[Hashable, Any], int]]) -> None:
        """`store` of several kinds at once, the keys this transaction changed left out."""
        kept = []
        for kind, values, epoch in batches:
            written = self._written.get(kind)
            if written:
                values = {k: v for k, v in values.items() if k not in written}
            kept.append((kind, values, epoch))
        super().store_kinds(kept)
