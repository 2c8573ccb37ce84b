"""Counters repository: the read model of counts, changed by the commands that change them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any, NamedTuple, TypeVar

import msgspec
from sqlalchemy import (
    ARRAY,
    Table,
    and_,
    any_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    literal,
    literal_column,
    null,
    select,
    text,
    true,
    union_all,
    update,
)
from sqlalchemy.engine import Dialect

from app.foundation.bulk_insert import insert_tuples
from app.foundation.cache import CacheSession
from app.foundation.counters.records import PlaylistCounts, Release, TrackCounts, UserCounts
from app.foundation.counters.recount import SUMMARIZED, recount_statements
from app.foundation.counters.tables import (
    CounterReleaseRow,
    PlaylistCountersRow,
    TrackCountersRow,
    UserCountersRow,
)
from app.foundation.db import UTCDateTime, table_of
from app.foundation.lazy import LazyConnection
from app.foundation.once import once
from app.foundation.policies.records import TrackPolicyRecord
from app.foundation.policies.tables import TrackPolicyRow
from app.foundation.prepared import Prepared
from app.foundation.prepared_writes import PreparedWrite
from app.foundation.query import fetch_by_keys
from app.foundation.row_locks import RowLocks
from app.foundation.tracks.records import TrackRecord
from app.foundation.tracks.tables import TrackRow

C = TypeVar("C", bound=msgspec.Struct)

track_counters = table_of(TrackCountersRow)
playlist_counters = table_of(PlaylistCountersRow)
user_counters = table_of(UserCountersRow)
releases = table_of(CounterReleaseRow)
policies = table_of(TrackPolicyRow)
tracks = table_of(TrackRow)
_RELEASE_COLUMNS = (releases.c.release_at, releases.c.name, releases.c.delta)
"""What a counters load reads of each scheduled release (joined: `_with_releases`)."""
Deltas = Mapping[int, Mapping[str, int]]
"""entity id -> counter name -> amount to add."""


def _columns(record: Any) -> tuple[str, ...]:
    """The record's fields stored as columns (`releases` is loaded from `counter_releases`)."""
    return tuple(f for f in record.__struct_fields__ if f != "releases")


@cache
def _loaded_columns(table: Table, record: Any, pending: bool) -> tuple[Any, ...]:
    """The columns a load reads: the record's, then `pending` for counts with releases."""
    columns = [table.c[name] for name in _columns(record)]
    return (*columns, table.c.pending) if pending else tuple(columns)


@cache
def _with_releases(table: Table, key: str, entity: str) -> Any:
    """The counters joined to their entity's scheduled releases (a row per release, one with
    empty release columns for none): counts and releases in one statement."""
    r = releases.c
    return table.outerjoin(releases, and_(r.entity == entity, r.entity_id == table.c[key]))


@cache
def _shape(
    table: Table, key: str, record: Any, entity: str | None
) -> tuple[str, tuple[Any, ...], int, Any]:
    """(cache kind, columns loaded, record width, source) of one entity kind's counters, built
    once (a unit of work builds the repositories it uses anew: several a request)."""
    loaded = _loaded_columns(table, record, entity is not None)
    source = None if entity is None else _with_releases(table, key, entity)
    if entity is not None:
        loaded = (*loaded, *_RELEASE_COLUMNS)
    return f"counts:{table.name}", loaded, len(_columns(record)), source


def _returned(table: Table, record: Any) -> list[Any]:
    """What an increment returns: the record's columns, then `pending` where the counts have
    scheduled releases (a row with none pending is the whole record: it may be kept)."""
    columns = [table.c[f] for f in _columns(record)]
    return [*columns, table.c.pending] if "pending" in table.c else columns


@cache
def _increment(
    table: Table, key: str, record: Any, names: tuple[str, ...], dialect: Dialect
) -> tuple[PreparedWrite, PreparedWrite]:
    """UPDATE … RETURNING adding deltas to `names`, and the INSERT … RETURNING creating the row,
    built once per shape (statement construction costs more than running it on SQLite)."""
    key_col = table.c[key]
    columns = _returned(table, record)
    values = {name: table.c[name] + bindparam(f"_d_{name}") for name in names}
    increment = update(table).where(key_col == bindparam("_key")).values(**values)
    initial: dict[str, Any] = {key: bindparam("_key")}
    initial.update({name: bindparam(f"_d_{name}") for name in names})
    create = insert(table).values(**initial)
    return (
        PreparedWrite(increment.returning(*columns), dialect),
        PreparedWrite(create.returning(*columns), dialect),
    )


def _named(column: Any, name: str, dialect: Dialect) -> Any:
    """`column` is one of the ids bound as `name` (a list): on PostgreSQL `= ANY(<an array>)`,
    one parameter, so the statement's text (prepared once per connection by asyncpg) does not
    change with how many ids it names; elsewhere an expanding IN list."""
    if dialect.name == "postgresql":
        return column == any_(bindparam(name, type_=ARRAY(column.type)))
    return column.in_(bindparam(name, expanding=True))


@cache
def _lock_all(shape: tuple[bool, bool, bool, bool], dialect: Dialect) -> PreparedWrite:
    """The rows of a group-commit batch locked in one statement, in the global order: the
    policies (FOR SHARE), then track, playlist and user counters (FOR NO KEY UPDATE), each in
    id order (PostgreSQL sorts before it locks); `shape`: which of the four are named (each
    named by one array parameter: one text however many ids). Its rows: the policies, each
    with its track (not locked: read as a command's read would), `locked` NULL; then one row
    counting the counter rows locked (the UNION ALL runs its arms in order, the counts'
    subqueries left to right)."""
    tables = [(policies, "track_id"), (track_counters, "track_id")]
    tables += [(playlist_counters, "playlist_id"), (user_counters, "user_id")]
    policy_columns = [policies.c[f] for f in TrackPolicyRecord.__struct_fields__]
    policy_columns += [tracks.c[f] for f in TrackRecord.__struct_fields__]
    locked: list[Any] = []
    arms: list[Any] = []
    for i, ((table, key), named) in enumerate(zip(tables, shape, strict=True)):
        if not named:
            continue
        column = table.c[key]
        chosen = policy_columns if i == 0 else [column]
        # (an outer join: a policy is locked whether or not its track is still there)
        joined = policies.outerjoin(tracks, tracks.c.id == column) if i == 0 else table
        part = (
            select(*chosen)
            .select_from(joined)
            .where(_named(column, f"_l{i}", dialect))
            .order_by(column)
            .with_for_update(read=i == 0, key_share=i > 0, of=table)
            .cte(f"locked_{i}")
        )
        if i == 0:
            arms.append(select(*part.c, null().label("locked")))
        else:
            locked.append(select(func.count()).select_from(part).scalar_subquery())
    if locked:
        total = locked[0]
        for more in locked[1:]:
            total = total + more
        arms.append(select(*[null() for _ in policy_columns], total.label("locked")))
    # (prepared as a write: run on the asyncpg connection directly once the batch has begun)
    return PreparedWrite(arms[0] if len(arms) == 1 else union_all(*arms), dialect)


class Increment(NamedTuple):
    """Deltas to add to one entity's counters; `counters`: one kind of CountersRepository
    (`tracks`, `playlists`, `users`)."""

    counters: Any
    entity_id: int
    deltas: Mapping[str, int]


@cache
def _counted(
    head: Any,
    shapes: tuple[tuple[Table, str, Any, tuple[str, ...]], ...],
    current: bool,
    dialect: Dialect,
) -> PreparedWrite:
    """`head` (an INSERT or DELETE … RETURNING at most one row) and, only when it returned
    its row, an UPDATE … RETURNING of each shape (table, key, record, counter names) — ONE
    statement of data-modifying CTEs (PostgreSQL): its one row is the head's columns, then
    each counters row's (NULLs where the head wrote nothing or the entity has no row); with
    `current`, then each counters row as it is (for a head that wrote nothing: its answer's
    counts without a statement of its own)."""
    written = head.cte("written")
    wrote = exists(select(literal_column("1")).select_from(written))
    parts: list[Any] = []
    for i, (table, key, record, names) in enumerate(shapes):
        values = {n: table.c[n] + bindparam(f"_c{i}_{n}") for n in names}
        stmt = update(table).where(table.c[key] == bindparam(f"_c{i}"), wrote).values(**values)
        parts.append(stmt.returning(*_returned(table, record)).cte(f"counted_{i}"))
    if current:
        for i, (table, key, record, _) in enumerate(shapes):
            now = select(*_returned(table, record)).where(table.c[key] == bindparam(f"_c{i}"))
            parts.append(now.subquery(f"current_{i}"))
    source: Any = select(literal(1).label("one")).subquery("one").outerjoin(written, true())
    for part in parts:
        source = source.outerjoin(part, true())
    joined = select(*written.c, *[c for part in parts for c in part.c]).select_from(source)
    return PreparedWrite(joined, dialect)


async def counted_write(
    conn: LazyConnection,
    head: Any,
    values: Mapping[str, Any],
    increments: Sequence[Increment],
    *,
    current: bool = False,
) -> tuple[tuple[Any, ...] | None, list[Any]]:
    """Run `head` (an INSERT or DELETE … RETURNING at most one row, its values `values`) and,
    when it returned a row, add each increment's deltas, in ONE statement (PostgreSQL only:
    one round trip instead of one per row changed): (the head's row or None, the new counts
    of each increment — None for one without deltas, and all None when the head returned
    nothing, unless `current`: then the counts as they are, None where the entity has no
    counters row). An entity without a counters row yet gets one after it (as `add` does).
    The counters rows must be locked already (a group commit's batch locks them first), so
    the counts read as they are stay exact until the commit."""
    wanted = [(i, inc) for i, inc in enumerate(increments) if any(inc.deltas.values())]
    shapes = tuple(
        inc.counters.shape(tuple(n for n, v in inc.deltas.items() if v)) for _, inc in wanted
    )
    params = dict(values)
    for n, (_, inc) in enumerate(wanted):
        params[f"_c{n}"] = inc.entity_id
        params.update({f"_c{n}_{k}": v for k, v in inc.deltas.items() if v})
    [row] = (await conn.write(_counted(head, shapes, current, conn.dialect), params)).rows
    widths = [len(_returned(shape[0], shape[2])) for shape in shapes]
    at = len(row) - sum(widths) * (2 if current else 1)
    head_row = tuple(row[:at])
    counts: list[Any] = [None] * len(increments)
    if all(v is None for v in head_row):
        if current:
            at += sum(widths)  # (past the increments' parts: NULLs)
            for (i, inc), width in zip(wanted, widths, strict=True):
                part = row[at : at + width]
                at += width
                if part[0] is not None:
                    counts[i] = inc.counters.returned(part)
        return None, counts
    for (i, inc), width in zip(wanted, widths, strict=True):
        part = row[at : at + width]
        at += width
        inc.counters.forget([inc.entity_id])
        if part[0] is None:  # (no counters row yet: created as `add` does)
            counts[i] = await inc.counters.add(inc.entity_id, **inc.deltas)
        else:
            counts[i] = inc.counters.returned(part)
    return head_row, counts


@cache
def _any_release(dialect: Dialect) -> Prepared:
    """One scheduled release of a track, if it has any (a prepared read by track id)."""
    key = releases.c.track_id
    stmt = select(key).where(key == bindparam("key_0", type_=key.type)).limit(1)
    return Prepared(stmt, 1, dialect)


class _Counters:
    """Counts of one entity kind: batch reads with zero defaults, atomic increments."""

    def __init__(
        self,
        conn: LazyConnection,
        cache: CacheSession,
        table: Table,
        key: str,
        record: type[C],
        entity: str | None = None,
    ) -> None:
        self._conn = conn
        self._cache = cache
        self._table = table
        self._key = key
        self._record: Any = record
        self._entity = entity
        """'user' or 'playlist': the counts that scheduled releases change (None: no such)."""
        self._kind, self._loaded, self._width, self._source = _shape(table, key, record, entity)

    async def get_many(self, ids: Sequence[int]) -> list[Any]:
        """Counts in request order; an entity without a row counts zero everywhere."""
        if not ids:
            return []
        found = await self._cache.read_through(self._kind, ids, self._load, negative=True)
        return [found.get(i) or self._record(**{self._key: i}) for i in ids]

    async def _load(self, ids: list[Any]) -> dict[Any, Any]:
        """The rows, with their scheduled releases (in the same statement: a row per release)."""
        names = _columns(self._record)
        key = self._table.c[self._key]
        rows = await fetch_by_keys(self._conn, self._loaded, key, ids, source=self._source)
        n = len(names)
        scheduled: dict[int, list[Release]] = defaultdict(list)
        counts: dict[int, tuple[Any, ...]] = {}
        for row in rows:
            counts[row[0]] = row[:n]
            if self._source is not None and row[n]:  # (pending: its releases are current)
                at, name, delta = row[n + 1 :]
                if delta:
                    scheduled[row[0]].append(Release(at, name, delta))
        found = {}
        for entity_id, values in counts.items():
            record = dict(zip(names, values, strict=True))
            if scheduled.get(entity_id):
                record["releases"] = tuple(scheduled[entity_id])
            found[entity_id] = self._record(**record)
        return found

    def _changed(self, ids: Iterable[int]) -> None:
        self._cache.invalidate(self._kind, ids)

    def shape(self, names: tuple[str, ...]) -> tuple[Table, str, Any, tuple[str, ...]]:
        """(table, key, record, `names`): an increment of these counters (`counted_write`)."""
        return self._table, self._key, self._record, names

    def returned(self, row: Sequence[Any]) -> Any:
        """The counts an increment returned (`_returned`'s columns); kept for the record cache
        once the transaction commits (`CacheSession.keep`) when they are the whole record —
        no scheduled release pending, which a load would add."""
        width = self._width
        counts = self._record(*row[:width])
        if len(row) == width or not row[width]:
            self._cache.keep(self._kind, getattr(counts, self._key), counts)
        return counts

    def forget(self, ids: Iterable[int]) -> None:
        """Drop these entities' cached counts (after a recount changed them)."""
        self._changed(ids)

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
        increment, create = _increment(
            self._table, self._key, self._record, tuple(changes), self._conn.dialect
        )
        params = {"_key": entity_id, **{f"_d_{name}": v for name, v in changes.items()}}
        rows = (await self._conn.write(increment, params)).rows
        if not rows:
            rows = (await self._conn.write(create, params)).rows
        return self.returned(rows[0])

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

    async def schedule(self, track_id: int, release_at: dt.datetime, deltas: Deltas) -> None:
        """Record what each entity's counts gain when `track_id` is released at `release_at`
        (added to what is scheduled already for that track and entity)."""
        assert self._entity is not None
        rows = [
            {"_t": track_id, "_e": entity_id, "_n": name, "_d": int(n)}
            for entity_id, d in deltas.items()
            for name, n in d.items()
            if n
        ]
        if not rows:
            return
        self._changed(deltas)
        r = releases.c
        dialect = self._conn.dialect
        ids = {"_ids": list(deltas)}
        stmt = select(r.entity_id, r.name).where(
            r.track_id == track_id, r.entity == self._entity, _named(r.entity_id, "_ids", dialect)
        )
        present = {(e, n) for e, n in await self._conn.execute(stmt, ids)}
        key = (
            (r.track_id == bindparam("_t"))
            & (r.entity == self._entity)
            & (r.entity_id == bindparam("_e"))
            & (r.name == bindparam("_n"))
        )
        old = [row for row in rows if (row["_e"], row["_n"]) in present]
        new = [row for row in rows if (row["_e"], row["_n"]) not in present]
        if old:
            await self._conn.execute(
                update(releases).where(key).values(delta=r.delta + bindparam("_d")), old
            )
        if new:
            values = {
                "track_id": bindparam("_t"),
                "entity": self._entity,
                "entity_id": bindparam("_e"),
                "name": bindparam("_n"),
                "delta": bindparam("_d"),
                "release_at": bindparam("_at", type_=UTCDateTime()),
            }
            await self._conn.execute(
                insert(releases).values(**values), [{**row, "_at": release_at} for row in new]
            )
        if old:
            await self._conn.execute(delete(releases).where(r.track_id == track_id, r.delta == 0))
        key_col = self._table.c[self._key]
        flag = update(self._table).where(_named(key_col, "_ids", dialect)).values(pending=1)
        await self._conn.execute(flag, ids)

    async def drop_releases_of(self, entity_id: int) -> None:
        """Forget the releases scheduled for one entity (it is being deleted)."""
        r = releases.c
        stmt = delete(releases).where(r.entity == self._entity, r.entity_id == entity_id)
        await self._conn.execute(stmt)

    async def totals(self) -> dict[str, int]:
        """The sum of every counter column over all entities (consistency checks, seeding)."""
        names = [c.name for c in self._table.columns if c.name != self._key]
        stmt = select(*[func.coalesce(func.sum(self._table.c[n]), 0) for n in names])
        row = (await self._conn.execute(stmt)).one()
        return {n: int(v) for n, v in zip(names, row, strict=True)}

    async def load_many(self, names: Sequence[str], rows: Sequence[tuple[int, ...]]) -> None:
        """Bulk insert of counter rows, tuples in `names` order (the key first; seeding)."""
        await insert_tuples(self._conn, self._table, (self._key, *names), rows)


class CountersRepository:
    """Counters of tracks, playlists and users."""

    def __init__(self, conn: LazyConnection, cache: CacheSession) -> None:
        self._conn = conn
        self._cache = cache

    @once
    def tracks(self) -> _Counters:
        return _Counters(self._conn, self._cache, track_counters, "track_id", TrackCounts)

    @once
    def playlists(self) -> _Counters:
        return _Counters(
            self._conn, self._cache, playlist_counters, "playlist_id", PlaylistCounts, "playlist"
        )

    @once
    def users(self) -> _Counters:
        return _Counters(self._conn, self._cache, user_counters, "user_id", UserCounts, "user")

    async def lock(self, rows: RowLocks) -> tuple[list[TrackPolicyRecord], list[TrackRecord]]:
        """Lock the rows named in `rows` (PostgreSQL) in ONE statement: the policies shared
        first, then the counter rows as an UPDATE would — tracks', playlists', users', each
        kind in id order (see RowLocks); returns the policies it share-locked and their
        tracks (read, not locked)."""
        kinds = (rows.policies, rows.track_counts, rows.playlist_counts, rows.user_counts)
        shape = tuple(bool(ids) for ids in kinds)
        if not any(shape):
            return [], []
        params = {f"_l{i}": sorted(set(ids)) for i, ids in enumerate(kinds) if ids}
        # (the batch's first statement: through the engine, which begins the transaction)
        result = await self._conn.write(_lock_all(shape, self._conn.dialect), params)
        n = len(TrackPolicyRecord.__struct_fields__)
        width = n + len(TrackRecord.__struct_fields__)
        held = [row for row in result.rows if row[width] is None]
        read = [TrackRecord(*r[n:width]) for r in held if r[n] is not None]
        return [TrackPolicyRecord(*r[:n]) for r in held], read

    def _of(self, entity: str) -> _Counters:
        return self.users if entity == "user" else self.playlists

    async def has_releases(self, track_id: int) -> bool:
        """Does `track_id` count as scheduled (counts wait for its release) rather than as its
        policy says at this moment? Until `settle` runs, a passed release still does."""
        return bool(await self._conn.fetch(_any_release(self._conn.dialect), [track_id]))

    async def drop_releases(self, track_id: int) -> None:
        """Forget what the track's release was to add (it is being counted anew or deleted)."""
        stmt = select(releases.c.entity, releases.c.entity_id).where(
            releases.c.track_id == track_id
        )
        for entity, entity_id in list(await self._conn.execute(stmt)):
            self._of(entity)._changed([entity_id])
        await self._conn.execute(delete(releases).where(releases.c.track_id == track_id))

    async def settle(self, now: dt.datetime) -> int:
        """Fold the releases that have passed into the counters and forget them; clears the
        `pending` flag of every entity left with none. Returns how many were folded."""
        r = releases.c
        due = select(r.entity, r.entity_id, r.name, r.delta).where(r.release_at <= now)
        deltas: dict[str, dict[int, dict[str, int]]] = {"user": {}, "playlist": {}}
        for entity, entity_id, name, delta in list(await self._conn.execute(due)):
            per = deltas[entity].setdefault(entity_id, {})
            per[name] = per.get(name, 0) + int(delta)
        for entity, changes in deltas.items():
            await self._of(entity).add_many(changes)
        await self._conn.execute(delete(releases).where(r.release_at <= now))
        for entity, changes in deltas.items():
            counters = self._of(entity)
            key_col = counters._table.c[counters._key]
            left = select(r.entity_id).where(r.entity == entity)
            stmt = (
                update(counters._table)
                .where(key_col.in_(list(changes)), key_col.not_in(left))
                .values(pending=0)
            )
            await self._conn.execute(stmt)
        return sum(len(c) for c in deltas.values())

    async def recount(self, now: dt.datetime) -> None:
        """Recompute every user and playlist count per visibility class, and every scheduled
        release, from the tables they summarize (seeding; checks). Cached counts of entities
        whose counts changed must be forgotten by the caller (`forget`)."""
        if self._conn.dialect.name == "postgresql":
            await self._conn.execute(text("ANALYZE " + ", ".join(SUMMARIZED)))
        for statement in recount_statements():
            stmt = text(statement)
            if ":now" in statement:
                stmt = stmt.bindparams(bindparam("now", now, type_=UTCDateTime()))
            await self._conn.execute(stmt)

    async def track_counts(self, ids: Sequence[int]) -> list[TrackCounts]:
        return await self.tracks.get_many(ids)

    async def playlist_counts(self, ids: Sequence[int]) -> list[PlaylistCounts]:
        return await self.playlists.get_many(ids)

    async def user_counts(self, ids: Sequence[int]) -> list[UserCounts]:
        return await self.users.get_many(ids)
