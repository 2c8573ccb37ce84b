"""Counters repository: the read model of counts, changed by the commands that change them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache, cached_property
from typing import Any, TypeVar

import msgspec
from sqlalchemy import Table, bindparam, func, insert, select, update

from app.foundation.bulk_insert import insert_tuples
from app.foundation.cache import CacheSession
from app.foundation.counters.records import PlaylistCounts, TrackCounts, UserCounts
from app.foundation.counters.tables import PlaylistCountersRow, TrackCountersRow, UserCountersRow
from app.foundation.db import table_of
from app.foundation.lazy import LazyConnection
from app.foundation.query import fetch_all, select_records

C = TypeVar("C", bound=msgspec.Struct)

track_counters = table_of(TrackCountersRow)
playlist_counters = table_of(PlaylistCountersRow)
user_counters = table_of(UserCountersRow)


@cache
def _increment(table: Table, key: str, record: Any, names: tuple[str, ...]) -> tuple[Any, Any]:
    """UPDATE … RETURNING adding deltas to `names`, and the INSERT … RETURNING creating the row,
    built once per shape (statement construction costs more than running it on SQLite)."""
    key_col = table.c[key]
    columns = [table.c[f] for f in record.__struct_fields__]
    values = {name: table.c[name] + bindparam(f"_d_{name}") for name in names}
    increment = update(table).where(key_col == bindparam("_key")).values(**values)
    initial: dict[str, Any] = {key: bindparam("_key")}
    initial.update({name: bindparam(f"_d_{name}") for name in names})
    create = insert(table).values(**initial)
    return increment.returning(*columns), create.returning(*columns)


class _Counters:
    """Counts of one entity kind: batch reads with zero defaults, atomic increments."""

    def __init__(
        self,
        conn: LazyConnection,
        cache: CacheSession,
        table: Table,
        key: str,
        record: type[C],
    ) -> None:
        self._conn = conn
        self._cache = cache
        self._table = table
        self._key = key
        self._record: Any = record
        self._kind = f"counts:{table.name}"

    async def get_many(self, ids: Sequence[int]) -> list[Any]:
        """Counts in request order; an entity without a row counts zero everywhere."""
        if not ids:
            return []
        found = await self._cache.read_through(self._kind, ids, self._load, negative=True)
        return [found.get(i) or self._record(**{self._key: i}) for i in ids]

    async def _load(self, ids: list[Any]) -> dict[Any, Any]:
        key_col = self._table.c[self._key]
        stmt = select_records(self._table, self._record).where(key_col.in_(ids))
        return {getattr(r, self._key): r for r in await fetch_all(self._conn, stmt, self._record)}

    def _changed(self, ids: Iterable[int]) -> None:
        self._cache.invalidate(self._kind, ids)

    async def ensure(self, entity_id: int) -> None:
        key_col = self._table.c[self._key]
        exists = await self._conn.execute(select(key_col).where(key_col == entity_id))
        if exists.first() is None:
            await self._conn.execute(insert(self._table).values(**{self._key: entity_id}))
            self._changed([entity_id])

    async def add(self, entity_id: int, **deltas: int) -> Any:
        """Atomically add `deltas` (e.g. likes=1) to one entity's counters, creating the row;
        returns the new counts (one statement when the row exists: UPDATE … RETURNING)."""
        changes = {k: v for k, v in deltas.items() if v}
        if not changes:
            return (await self.get_many([entity_id]))[0]
        self._changed([entity_id])
        increment, create = _increment(self._table, self._key, self._record, tuple(changes))
        params = {"_key": entity_id, **{f"_d_{name}": v for name, v in changes.items()}}
        row = (await self._conn.execute(increment, params)).first()
        if row is None:
            row = (await self._conn.execute(create, params)).first()
        return self._record(*row)

    async def add_many(self, deltas: Mapping[int, Mapping[str, int]]) -> None:
        """Add per-entity deltas to existing rows in one executemany (absent rows are skipped).

        Meant for decrements after deletions, whose rows exist since the matching increment.
        """
        names = sorted({name for d in deltas.values() for name, v in d.items() if v})
        if not names:
            return
        key_col = self._table.c[self._key]
        stmt = (
            update(self._table)
            .where(key_col == bindparam("_key"))
            .values(**{n: self._table.c[n] + bindparam(f"_d_{n}") for n in names})
        )
        params = [
            {"_key": entity_id, **{f"_d_{n}": int(d.get(n, 0)) for n in names}}
            for entity_id, d in deltas.items()
            if any(d.get(n) for n in names)
        ]
        self._changed(deltas)
        await self._conn.execute(stmt, params)

    async def totals(self) -> dict[str, int]:
        """The sum of every counter column over all entities (consistency checks, seeding)."""
        names = [c.name for c in self._table.columns if c.name != self._key]
        stmt = select(*[func.coalesce(func.sum(self._table.c[n]), 0) for n in names])
        row = (await self._conn.execute(stmt)).one()
        return {n: int(v) for n, v in zip(names, row, strict=True)}

    async def load_many(self, rows: Sequence[tuple[int, ...]]) -> None:
        """Bulk insert of complete counter rows, tuples in the table's column order (seeding)."""
        names = tuple(c.name for c in self._table.columns)
        await insert_tuples(self._conn, self._table, names, rows)


class CountersRepository:
    """Counters of tracks, playlists and users."""

    def __init__(self, conn: LazyConnection, cache: CacheSession) -> None:
        self._conn = conn
        self._cache = cache

    @cached_property
    def tracks(self) -> _Counters:
        return _Counters(self._conn, self._cache, track_counters, "track_id", TrackCounts)

    @cached_property
    def playlists(self) -> _Counters:
        return _Counters(self._conn, self._cache, playlist_counters, "playlist_id", PlaylistCounts)

    @cached_property
    def users(self) -> _Counters:
        return _Counters(self._conn, self._cache, user_counters, "user_id", UserCounts)

    async def track_counts(self, ids: Sequence[int]) -> list[TrackCounts]:
        return await self.tracks.get_many(ids)

    async def playlist_counts(self, ids: Sequence[int]) -> list[PlaylistCounts]:
        return await self.playlists.get_many(ids)

    async def user_counts(self, ids: Sequence[int]) -> list[UserCounts]:
        return await self.users.get_many(ids)
