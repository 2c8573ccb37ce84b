"""Social repository: likes, reposts, follows (user→target edges) and timed comments."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    Table,
    bindparam,
    delete,
    func,
    insert,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.engine import Dialect

from app.foundation.bulk_insert import insert_tuples
from app.foundation.cache import ABSENT, CacheSession
from app.foundation.counters.repository import Increment, counted_write
from app.foundation.db import Base, table_of, utcnow
from app.foundation.lazy import LazyConnection
from app.foundation.once import once
from app.foundation.prepared import Prepared, bucket
from app.foundation.prepared_writes import PreparedWrite
from app.foundation.query import (
    Key,
    Page,
    fetch_by_keys,
    fetch_one,
    fetch_page,
    insert_or_ignore,
    unique,
)
from app.foundation.social.records import CommentRecord, DailyEdgeCount, EdgeRecord
from app.foundation.social.tables import (
    CommentRow,
    FollowRow,
    PlaylistLikeRow,
    PlaylistRepostRow,
    TrackLikeRow,
    TrackRepostRow,
)

comments = table_of(CommentRow)
follows = table_of(FollowRow)
MAX_CACHED_EDGES = 5_000
"""A user's likes/reposts/follows (and followers) are cached as one set up to this size; no
read of a set brings more than one row past it."""
TOO_MANY: None = None
"""The cached set of a user with more than MAX_CACHED_EDGES edges: asked edge by edge."""
COMMENT_LOAD_COLUMNS = ("track_id", "user_id", "body", "timestamp_ms", "created_at")
_COMMENT_BINDS = tuple(f"_{name}" for name in COMMENT_LOAD_COLUMNS)


@functools.cache
def _shape(
    table: Table, user_col: str, target_col: str
) -> tuple[str, Table, Any, Any, list[Any], str]:
    """An edge table's cache kinds, columns and labels, built once per process (not once per
    request)."""
    user, target = table.c[user_col], table.c[target_col]
    columns = [user.label("user_id"), target.label("target_id"), table.c.created_at]
    return f"edges:{table.name}", table, user, target, columns, edge_kind(table)


@functools.cache
def _target_sets(
    edges: tuple[tuple[Any, Any], ...],
    incoming: tuple[Any, Any] | None,
    size: int,
    dialect: Dialect,
) -> Prepared:
    """(which, target) of one user's edges in each (user column, target column) pair's table:
    several target sets in one statement (the user's id bound once per table), each read to
    at most MAX_CACHED_EDGES + 1 rows (a larger set is not kept: its edges are asked one by
    one). With `incoming`, (len(edges), source) of the edges of that pair's table pointing at
    the user: all of them (to the same bound) when `size` is 0, else those of the `size` users
    among whom they are asked."""
    parts: list[Any] = [_bounded(i, user, target) for i, (user, target) in enumerate(edges)]
    if incoming is not None:
        user, target = incoming
        n = len(edges)
        if not size:
            parts.append(_bounded(n, target, user))
        else:
            sources = [bindparam(f"key_{n + 1 + i}", type_=user.type) for i in range(size)]
            among = user == sources[0] if size == 1 else user.in_(sources)
            parts.append(
                select(literal_column(str(n), Integer), user).where(
                    target == bindparam(f"key_{n}", type_=target.type), among
                )
            )
    statement: Any = parts[0] if len(parts) == 1 else union_all(*parts)
    return Prepared(statement, len(parts) + size, dialect)


def _bounded(i: int, by: Any, value: Any) -> Any:
    """(i, value) of the rows whose `by` is the key `key_{i}`, at most MAX_CACHED_EDGES + 1."""
    inner = (
        select(value.label("v"))
        .where(by == bindparam(f"key_{i}", type_=by.type))
        .limit(MAX_CACHED_EDGES + 1)
        .subquery()
    )
    return select(literal_column(str(i), Integer), inner.c.v)


def _kept_set(found: set[int]) -> frozenset[int] | None:
    """How a set read by `_target_sets` is cached: itself, or None (TOO_MANY) past the bound."""
    return frozenset(found) if len(found) <= MAX_CACHED_EDGES else TOO_MANY


@functools.cache
def _to_target(target: Any) -> Any:
    """`target = :target`, built once per edge table (a prepared read's condition)."""
    return target == bindparam("target", None, type_=target.type)


@functools.cache
def _add_comment(dialect: Dialect) -> PreparedWrite:
    """INSERT … RETURNING of one comment, its values bound by column name."""
    binds = zip(COMMENT_LOAD_COLUMNS, _COMMENT_BINDS, strict=True)
    stmt = insert(comments).values({n: bindparam(b, type_=comments.c[n].type) for n, b in binds})
    returning = [comments.c[f] for f in CommentRecord.__struct_fields__]
    return PreparedWrite(stmt.returning(*returning), dialect)


def edge_kind(table: Table) -> str:
    """The record cache's kind of an edge table's single edges (by `edge_key`)."""
    return f"edge:{table.name}"


def incoming_kind(table: Table) -> str:
    """The record cache's kind of the source sets of an edge table's targets (by target id)."""
    return f"edges-in:{table.name}"


def edge_key(user_id: int, target_id: int) -> str:
    """The cache key of one edge (a string: keys cross processes as JSON)."""
    return f"{user_id}>{target_id}"


@functools.cache
def _add_edge(table: Table, user: Any, target: Any, dialect: Dialect) -> PreparedWrite:
    values = {
        user.key: bindparam("_user", type_=user.type),
        target.key: bindparam("_target", type_=target.type),
        "created_at": bindparam("_at", type_=table.c.created_at.type),
    }
    return PreparedWrite(insert_or_ignore(table, dialect.name).values(values), dialect)


@functools.cache
def _toggled_edge(table: Table, user: Any, target: Any, on: bool) -> Any:
    """The edge's INSERT … ON CONFLICT DO NOTHING (`on`) or DELETE, RETURNING a row only when
    it changed (the head of a `counted_write`, PostgreSQL)."""
    if on:
        values = {
            user.key: bindparam("_user", type_=user.type),
            target.key: bindparam("_target", type_=target.type),
            "created_at": bindparam("_at", type_=table.c.created_at.type),
        }
        stmt: Any = insert_or_ignore(table, "postgresql").values(values)
    else:
        stmt = delete(table).where(
            user == bindparam("_user", type_=user.type),
            target == bindparam("_target", type_=target.type),
        )
    return stmt.returning(literal_column("1").label("changed"))


@functools.cache
def _delete_edge(table: Table, user: Any, target: Any, dialect: Dialect) -> PreparedWrite:
    stmt = delete(table).where(user == bindparam("_user"), target == bindparam("_target"))
    return PreparedWrite(stmt, dialect)


class Edges:
    """One user→target relation table (track likes, playlist reposts, follows …)."""

    def __init__(
        self,
        conn: LazyConnection,
        cache: CacheSession,
        table: Table,
        user_col: str,
        target_col: str,
        *,
        incoming: bool = False,
    ) -> None:
        self._conn = conn
        self._cache = cache
        shape = _shape(table, user_col, target_col)
        self._kind, self._table, self._user, self._target, self._columns = shape[:5]
        self._edge_kind = shape[5]
        """Cached single edges, by edge_key: true where the edge exists, absent where not."""
        self.edge_kind = self._edge_kind
        self._pair = (self._user, self._target)
        self.kind = self._kind
        """The record cache's kind of a user's whole target set."""
        self.incoming_kind = incoming_kind(table) if incoming else None
        """The record cache's kind of a target's whole source set (who follows a user), for a
        relation asked both ways (`sources_among`); None: its edges are asked one by one."""
        self.columns = self._pair
        """(user column, target column)."""
        self._sources = (self._user,)
        self._to_target = _to_target(self._target)

    async def add(self, user_id: int, target_id: int) -> bool:
        """Create the edge; False when it already existed (idempotent, one statement)."""
        stmt = _add_edge(self._table, self._user, self._target, self._conn.dialect)
        values = {"_user": user_id, "_target": target_id, "_at": utcnow()}
        created = bool((await self._conn.write(stmt, values)).rowcount)
        if created:
            self._changed([(user_id, target_id)])
        return created

    async def toggle(
        self, user_id: int, target_id: int, on: bool, increments: Sequence[Increment]
    ) -> tuple[bool, list[Any]]:
        """`add` (`on`) or `remove` the edge and, only when that changed it, add each
        increment's deltas to its counters: (changed, each increment's new counts — None
        where nothing changed). On PostgreSQL ONE statement (the edge and every counter),
        which answers the counts as they are where the edge was as asked already (None where
        there is no counters row)."""
        if self._conn.dialect.name != "postgresql":
            changed = await (self.add if on else self.remove)(user_id, target_id)
            counts: list[Any] = [None] * len(increments)
            for i, inc in enumerate(increments):
                if changed and any(inc.deltas.values()):
                    counts[i] = await inc.counters.add(inc.entity_id, **inc.deltas)
            return changed, counts
        head = _toggled_edge(self._table, self._user, self._target, on)
        values: dict[str, Any] = {"_user": user_id, "_target": target_id}
        if on:
            values["_at"] = utcnow()
        row, counts = await counted_write(self._conn, head, values, increments, current=True)
        if row is not None:
            self._changed([(user_id, target_id)])
        return row is not None, counts

    def _changed(self, edges: Iterable[tuple[int, int]]) -> None:
        """Forget the cached target sets of the edges' users (and source sets of their
        targets, where kept), and the cached single edges."""
        edges = list(edges)
        self._cache.invalidate(self._kind, list({u for u, _ in edges}))
        if self.incoming_kind is not None:
            self._cache.invalidate(self.incoming_kind, list({t for _, t in edges}))
        self._cache.invalidate(self._edge_kind, [edge_key(u, t) for u, t in edges])

    async def remove(self, user_id: int, target_id: int) -> bool:
        """Delete the edge; False when there was none."""
        stmt = _delete_edge(self._table, self._user, self._target, self._conn.dialect)
        self._changed([(user_id, target_id)])
        return bool(
            (await self._conn.write(stmt, {"_user": user_id, "_target": target_id})).rowcount
        )

    async def exists(self, user_id: int, target_id: int) -> bool:
        stmt = select(self._target).where(self._user == user_id, self._target == target_id)
        return (await self._conn.execute(stmt)).first() is not None

    async def which(self, user_id: int, target_ids: Sequence[int]) -> set[int]:
        """Of `target_ids`, those the user has an edge to (viewer state in one statement): from
        the user's cached set (read once, bounded), else asked edge by edge."""
        if not target_ids:
            return set()
        if self._cache.reads:
            found = await self._cache.read_through(self._kind, [user_id], self._load_targets)
            known = found.get(user_id)
            if known is not None:
                return set(known.intersection(target_ids))
        stmt = select(self._target).where(
            self._user == user_id, self._target.in_(unique(target_ids))
        )
        return set((await self._conn.execute(stmt)).scalars())

    async def both_ways(self, user_id: int, others: Sequence[int]) -> tuple[set[int], set[int]]:
        """(`which(user_id, others)`, `sources_among(user_id, others)`): of `others`, those the
        user has an edge to, and those with an edge to the user (whom a viewer follows, who
        follows the viewer). What the cache lacks of both is read in ONE statement (a new
        viewer's first request: its whole sets, bounded) and kept."""
        others = unique(others)
        if others:
            await read_ahead(self._conn, self._cache, user_id, (self,), self, others)
        return await self.which(user_id, others), await self.sources_among(user_id, others)

    async def since(self, user_id: int, target_ids: Sequence[int]) -> dict[int, dt.datetime]:
        """Of `target_ids`, those the user has an edge to, with when it was made."""
        if not target_ids:
            return {}
        stmt = select(self._target, self._table.c.created_at).where(
            self._user == user_id, self._target.in_(unique(target_ids))
        )
        return {int(t): at for t, at in await self._conn.execute(stmt)}

    async def sources_among(self, target_id: int, user_ids: Sequence[int]) -> set[int]:
        """Of `user_ids`, those with an edge to `target_id` (e.g. who among them follows me):
        from the target's cached source set where the relation keeps one (read once, bounded),
        else point queries on the edges, each edge cached on its own."""
        if not user_ids:
            return set()
        if self.incoming_kind is not None and self._cache.reads:
            sets = await self._cache.read_through(
                self.incoming_kind, [target_id], self._load_sources
            )
            known = sets.get(target_id)
            if known is not None:
                return set(known.intersection(user_ids))
        keys = {edge_key(u, target_id): u for u in unique(user_ids)}

        async def load(missing: list[Any]) -> dict[Any, Any]:
            users = [keys[k] for k in missing]
            rows = await fetch_by_keys(
                self._conn, self._sources, self._user, users, self._to_target, {"target": target_id}
            )
            return {edge_key(row[0], target_id): True for row in rows}

        found = await self._cache.read_through(self._edge_kind, list(keys), load, negative=True)
        return {keys[str(k)] for k in found}

    async def _load_targets(self, user_ids: list[Any]) -> dict[Any, frozenset[int] | None]:
        """One user's whole target set (TOO_MANY past MAX_CACHED_EDGES)."""
        [user_id] = user_ids
        statement = _target_sets((self._pair,), None, 0, self._conn.dialect)
        rows = await self._conn.fetch(statement, [user_id])
        return {user_id: _kept_set({target for _, target in rows})}

    async def _load_sources(self, target_ids: list[Any]) -> dict[Any, frozenset[int] | None]:
        """One target's whole source set (TOO_MANY past MAX_CACHED_EDGES)."""
        [target_id] = target_ids
        statement = _target_sets((), self._pair, 0, self._conn.dialect)
        rows = await self._conn.fetch(statement, [target_id])
        return {target_id: _kept_set({source for _, source in rows})}

    async def of_user(self, user_id: int, after: Key | None, limit: int) -> Page[EdgeRecord]:
        """The user's edges, newest first."""
        stmt = select(*self._columns).where(self._user == user_id)
        order = [self._table.c.created_at, self._target]
        return await self._page(stmt, order, after, limit, "target_id")

    async def to_target(self, target_id: int, after: Key | None, limit: int) -> Page[EdgeRecord]:
        """The edges pointing at a target (likers, reposters, followers), newest first."""
        stmt = select(*self._columns).where(self._target == target_id)
        order = [self._table.c.created_at, self._user]
        return await self._page(stmt, order, after, limit, "user_id")

    async def all_users(self, target_id: int) -> list[int]:
        stmt = select(self._user).where(self._target == target_id)
        return list((await self._conn.execute(stmt)).scalars())

    async def daily_counts(
        self, target_ids: Sequence[int], start: dt.datetime, end: dt.datetime
    ) -> list[DailyEdgeCount]:
        """Edges created per target per UTC day in [start, end), ordered by target and day."""
        if not target_ids:
            return []
        at = self._table.c.created_at
        if self._conn.dialect.name == "sqlite":
            day = func.date(at)
        else:
            day = func.date(func.timezone("UTC", at))
        stmt = (
            select(self._target, day.label("day"), func.count())
            .where(self._target.in_(unique(target_ids)), at >= start, at < end)
            .group_by(self._target, day)
            .order_by(self._target, day)
        )
        result = await self._conn.execute(stmt)
        return [DailyEdgeCount(int(t), _as_date(d), int(n)) for t, d, n in result]

    async def add_many(self, rows: Sequence[tuple[int, int]]) -> None:
        if rows:
            now = utcnow()
            values = [{self._user.key: u, self._target.key: t, "created_at": now} for u, t in rows]
            await self._conn.execute(insert(self._table), values)
            self._changed(rows)

    async def add_timed(self, rows: Sequence[tuple[int, int, dt.datetime]]) -> None:
        """Bulk insert of (user, target, created_at) edges (seeding; duplicates must not occur)."""
        if rows:
            u, t = self._user.key, self._target.key
            await self._conn.execute(
                insert(self._table), [{u: a, t: b, "created_at": c} for a, b, c in rows]
            )
            self._changed((a, b) for a, b, _ in rows)

    async def load_many(self, rows: Sequence[tuple[int, int, int]]) -> None:
        """Bulk insert of (user, target, created_at epoch seconds) edges (seeding; duplicates
        must not occur)."""
        names = (self._user.key, self._target.key, "created_at")
        await insert_tuples(self._conn, self._table, names, rows)

    async def count(self) -> int:
        value = await self._conn.execute(select(func.count()).select_from(self._table))
        return int(value.scalar_one())

    async def _page(
        self, stmt: Select[Any], order: list[Any], after: Key | None, limit: int, key_name: str
    ) -> Page[EdgeRecord]:
        keys = ["created_at", key_name]
        return await fetch_page(self._conn, stmt, EdgeRecord, order, after, limit, keys)


async def read_ahead(
    conn: LazyConnection,
    cache: CacheSession,
    user_id: int,
    outgoing: Sequence[Edges],
    incoming: Edges | None,
    among: Sequence[int],
) -> None:
    """Read what the cache lacks of the user's target sets of `outgoing` and, with `incoming`,
    of who has an edge of that relation to the user (its source set where the relation keeps
    one, else the edges from `among`), in ONE statement, and keep it (each kind at its epoch
    from before the read). Nothing when that would be one part: its own read is as cheap."""
    wanted = [e for e in outgoing if cache.lacks(e.kind, user_id)]
    kind = incoming.incoming_kind if incoming is not None else None
    whole = kind is not None and cache.lacks(kind, user_id)
    keys: dict[str, int] = {}
    if incoming is not None and kind is None:
        for other in unique(among):
            key = edge_key(other, user_id)
            if other != user_id and cache.lacks(incoming.edge_kind, key):
                keys[key] = other
    if len(wanted) + (whole or bool(keys)) < 2:
        return
    epochs = [cache.epoch(e.kind) for e in wanted]
    incoming_epoch = 0
    if incoming is not None:
        incoming_epoch = cache.epoch(kind if kind is not None else incoming.edge_kind)
    others = list(keys.values())
    size = bucket(len(others)) if others else 0
    shapes = tuple(e.columns for e in wanted)
    pair = incoming.columns if incoming is not None and (whole or others) else None
    statement = _target_sets(shapes, pair, size, conn.dialect)
    values = [user_id] * len(wanted)
    if pair is not None:
        values.append(user_id)
        if others:
            values += [*others, *[others[-1]] * (size - len(others))]
    rows = await conn.fetch(statement, values)
    found: list[set[int]] = [set() for _ in wanted]
    sources: set[int] = set()
    for which, target in rows:
        if which < len(wanted):
            found[which].add(target)
        else:
            sources.add(target)
    batches: list[tuple[str, dict[Hashable, Any], int]] = [
        (e.kind, {user_id: _kept_set(targets)}, epoch)
        for e, epoch, targets in zip(wanted, epochs, found, strict=True)
    ]
    if kind is not None and whole:
        batches.append((kind, {user_id: _kept_set(sources)}, incoming_epoch))
    elif incoming is not None and keys:
        known: dict[Hashable, Any] = {k: u in sources or ABSENT for k, u in keys.items()}
        batches.append((incoming.edge_kind, known, incoming_epoch))
    cache.store_kinds(batches)


class SocialRepository:
    """Likes, reposts, follows and comments."""

    def __init__(self, conn: LazyConnection, cache: CacheSession) -> None:
        self._conn = conn
        self._cache = cache

    def _edges(self, row: type[Base], user: str, target: str, *, incoming: bool = False) -> Edges:
        return Edges(self._conn, self._cache, table_of(row), user, target, incoming=incoming)

    # (each built on first use: a request's unit of work asks for two or three of them)
    @once
    def track_likes(self) -> Edges:
        return self._edges(TrackLikeRow, "user_id", "track_id")

    @once
    def playlist_likes(self) -> Edges:
        return self._edges(PlaylistLikeRow, "user_id", "playlist_id")

    @once
    def track_reposts(self) -> Edges:
        return self._edges(TrackRepostRow, "user_id", "track_id")

    @once
    def playlist_reposts(self) -> Edges:
        return self._edges(PlaylistRepostRow, "user_id", "playlist_id")

    @once
    def follows(self) -> Edges:
        """Asked both ways (whom a viewer follows, who follows the viewer): both sets kept."""
        return self._edges(FollowRow, "follower_id", "followee_id", incoming=True)

    async def load_target_sets(
        self,
        user_id: int,
        edges: Sequence[Edges],
        incoming: Edges | None = None,
        among: Sequence[int] = (),
    ) -> None:
        """The user's whole target sets of `edges` that the record cache lacks, read in ONE
        statement and kept there, so the `which` of each that follows finds its set (a viewer's
        likes and reposts on a first request: one statement instead of one per table). With
        `incoming`, the same statement reads who has an edge of that relation to the user (its
        whole source set where the relation keeps one, else which of `among` do), for the
        `sources_among` that follows (a new viewer's first track read: whether its owner
        follows the viewer, for the owner's card). Every set is read to a bound
        (MAX_CACHED_EDGES): a statement's rows never grow with the user's collections."""
        await read_ahead(self._conn, self._cache, user_id, edges, incoming, among)

    async def add_comment(
        self, track_id: int, user_id: int, body: str, timestamp_ms: int | None
    ) -> CommentRecord:
        values = (track_id, user_id, body, timestamp_ms, utcnow())
        named = dict(zip(_COMMENT_BINDS, values, strict=True))
        [row] = (await self._conn.write(_add_comment(self._conn.dialect), named)).rows
        return CommentRecord(*row)

    async def add_comment_counted(
        self,
        track_id: int,
        user_id: int,
        body: str,
        timestamp_ms: int | None,
        increments: Sequence[Increment],
    ) -> tuple[CommentRecord, list[Any]]:
        """`add_comment` and each increment's deltas added to its counters: (the comment, each
        increment's new counts — None for one without deltas). On PostgreSQL ONE statement."""
        if self._conn.dialect.name != "postgresql":
            comment = await self.add_comment(track_id, user_id, body, timestamp_ms)
            counts: list[Any] = [None] * len(increments)
            for i, inc in enumerate(increments):
                if any(inc.deltas.values()):
                    counts[i] = await inc.counters.add(inc.entity_id, **inc.deltas)
            return comment, counts
        values = (track_id, user_id, body, timestamp_ms, utcnow())
        named = dict(zip(_COMMENT_BINDS, values, strict=True))
        head = _add_comment(self._conn.dialect).statement
        row, counts = await counted_write(self._conn, head, named, increments)
        assert row is not None  # (an INSERT without a conflict clause returns its row)
        return CommentRecord(*row), counts

    async def comment(self, comment_id: int) -> CommentRecord | None:
        stmt = select(*[comments.c[f] for f in CommentRecord.__struct_fields__]).where(
            comments.c.id == comment_id
        )
        return await fetch_one(self._conn, stmt, CommentRecord)

    async def delete_comment(self, comment_id: int) -> bool:
        stmt = delete(comments).where(comments.c.id == comment_id)
        return bool((await self._conn.execute(stmt)).rowcount)

    async def comments_of_track(
        self, track_id: int, after: Key | None, limit: int
    ) -> Page[CommentRecord]:
        stmt = select(*[comments.c[f] for f in CommentRecord.__struct_fields__]).where(
            comments.c.track_id == track_id
        )
        order = [comments.c.created_at, comments.c.id]
        return await fetch_page(self._conn, stmt, CommentRecord, order, after, limit)

    async def comments_of_user(
        self, user_id: int, after: Key | None, limit: int
    ) -> Page[CommentRecord]:
        stmt = select(*[comments.c[f] for f in CommentRecord.__struct_fields__]).where(
            comments.c.user_id == user_id
        )
        order = [comments.c.created_at, comments.c.id]
        return await fetch_page(self._conn, stmt, CommentRecord, order, after, limit)

    async def add_comments(self, rows: Sequence[dict[str, object]]) -> None:
        if rows:
            await self._conn.execute(insert(comments), list(rows))

    async def load_comments(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Bulk insert of tuples in COMMENT_LOAD_COLUMNS order (seeding; see foundation.bulk)."""
        await insert_tuples(self._conn, comments, COMMENT_LOAD_COLUMNS, rows)

    async def comment_authors(self, track_id: int) -> list[int]:
        stmt = select(comments.c.user_id).where(comments.c.track_id == track_id)
        return list((await self._conn.execute(stmt)).scalars())

    async def count_comments(self) -> int:
        value = await self._conn.execute(select(func.count()).select_from(comments))
        return int(value.scalar_one())


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
