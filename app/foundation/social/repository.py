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
"""A user's likes/reposts/follows are cached as one set up to this size."""
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
    several whole target sets in one statement (the user's id bound once per table); with
    `incoming`, (len(edges), source) of the `size` users among whom an edge of that pair's
    table points at the user."""
    parts = [
        select(literal_column(str(i), Integer), target).where(
            user == bindparam(f"key_{i}", type_=user.type)
        )
        for i, (user, target) in enumerate(edges)
    ]
    if incoming is not None:
        user, target = incoming
        n = len(edges)
        sources = [bindparam(f"key_{n + 1 + i}", type_=user.type) for i in range(size)]
        among = user == sources[0] if size == 1 else user.in_(sources)
        parts.append(
            select(literal_column(str(n), Integer), user).where(
                target == bindparam(f"key_{n}", type_=target.type), among
            )
        )
    return Prepared(union_all(*parts), len(parts) + size, dialect)


@functools.cache
def _both_ways(user: Any, target: Any, size: int, dialect: Dialect) -> Prepared:
    """(0, target) of one user's whole target set, then (1, source) of the `size` users among
    whom an edge points at that user: `which` and `sources_among` in one statement."""
    sources = [bindparam(f"key_{i + 2}", type_=user.type) for i in range(size)]
    among = user == sources[0] if size == 1 else user.in_(sources)
    outgoing = select(literal_column("0", Integer), target).where(
        user == bindparam("key_0", type_=user.type)
    )
    incoming = select(literal_column("1", Integer), user).where(
        target == bindparam("key_1", type_=target.type), among
    )
    return Prepared(union_all(outgoing, incoming), size + 2, dialect)


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
        """Forget the cached target sets of the edges' users, and the cached single edges."""
        edges = list(edges)
        self._cache.invalidate(self._kind, list({u for u, _ in edges}))
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
        """Of `target_ids`, those the user has an edge to (viewer state in one statement)."""
        if not target_ids:
            return set()
        found = await self._targets_of([user_id])
        if user_id in found:
            return set(found[user_id].intersection(target_ids))
        stmt = select(self._target).where(
            self._user == user_id, self._target.in_(unique(target_ids))
        )
        return set((await self._conn.execute(stmt)).scalars())

    async def both_ways(self, user_id: int, others: Sequence[int]) -> tuple[set[int], set[int]]:
        """(`which(user_id, others)`, `sources_among(user_id, others)`): of `others`, those the
        user has an edge to, and those with an edge to the user (whom a viewer follows, who
        follows the viewer). When the cache lacks both the user's whole set and every edge
        asked, they are read in ONE statement (a new viewer's first request) and kept."""
        others = unique(others)
        keys = {edge_key(u, user_id): u for u in others}
        cache = self._cache
        if not (
            others
            and cache.lacks(self._kind, user_id)
            and all(cache.lacks(self._edge_kind, k) for k in keys)
        ):
            return await self.which(user_id, others), await self.sources_among(user_id, others)
        epoch, edge_epoch = cache.epoch(self._kind), cache.epoch(self._edge_kind)
        size = bucket(len(others))
        padded = others + [others[-1]] * (size - len(others))
        statement = _both_ways(self._user, self._target, size, self._conn.dialect)
        targets: set[int] = set()
        sources: set[int] = set()
        for which, other in await self._conn.fetch(statement, [user_id, user_id, *padded]):
            (sources if which else targets).add(other)
        if len(targets) <= MAX_CACHED_EDGES:
            cache.store(self._kind, {user_id: frozenset(targets)}, epoch)
        edges: dict[Hashable, Any] = {k: u in sources or ABSENT for k, u in keys.items()}
        cache.store(self._edge_kind, edges, edge_epoch)
        return targets.intersection(others), sources

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
        point queries on the edges, each edge cached on its own (never a user's whole set)."""
        if not user_ids:
            return set()
        keys = {edge_key(u, target_id): u for u in unique(user_ids)}

        async def load(missing: list[Any]) -> dict[Any, Any]:
            users = [keys[k] for k in missing]
            rows = await fetch_by_keys(
                self._conn, self._sources, self._user, users, self._to_target, {"target": target_id}
            )
            return {edge_key(row[0], target_id): True for row in rows}

        found = await self._cache.read_through(self._edge_kind, list(keys), load, negative=True)
        return {keys[str(k)] for k in found}

    async def _targets_of(self, user_ids: Sequence[int]) -> dict[Any, frozenset[int]]:
        """Each user's whole target set, cached (viewer state without a statement per request);
        users with more than MAX_CACHED_EDGES edges are left out and queried directly."""
        return await self._cache.read_through(self._kind, user_ids, self._load_targets)

    async def _load_targets(self, user_ids: list[Any]) -> dict[Any, frozenset[int]]:
        grouped: dict[Any, set[int]] = {u: set() for u in user_ids}
        for user, target in await fetch_by_keys(self._conn, self._pair, self._user, user_ids):
            grouped[user].add(target)
        return {u: frozenset(t) for u, t in grouped.items() if len(t) <= MAX_CACHED_EDGES}

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


class SocialRepository:
    """Likes, reposts, follows and comments."""

    def __init__(self, conn: LazyConnection, cache: CacheSession) -> None:
        self._conn = conn
        self._cache = cache

    def _edges(self, row: type[Base], user: str, target: str) -> Edges:
        return Edges(self._conn, self._cache, table_of(row), user, target)

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
        return self._edges(FollowRow, "follower_id", "followee_id")

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
        `incoming`, the same statement reads which of `among` have an edge of that relation to
        the user (those edges the cache lacks), kept as single edges for `sources_among` (a new
        viewer's first track read: whether its owner follows the viewer, for the owner's card)."""
        cache = self._cache
        wanted = [e for e in edges if cache.lacks(e.kind, user_id)]
        if len(wanted) < 2:  # (one set: its `which` reads it as cheaply)
            return
        epochs = [cache.epoch(e.kind) for e in wanted]
        keys: dict[str, int] = {}
        if incoming is not None:
            for other in unique(among):
                key = edge_key(other, user_id)
                if other != user_id and cache.lacks(incoming.edge_kind, key):
                    keys[key] = other
        others = list(keys.values())
        size = bucket(len(others)) if others else 0
        shapes = tuple(e.columns for e in wanted)
        pair = incoming.columns if incoming is not None and others else None
        statement = _target_sets(shapes, pair, size, self._conn.dialect)
        edge_epoch = cache.epoch(incoming.edge_kind) if incoming is not None else 0
        values = [user_id] * len(wanted)
        if others:
            values += [user_id, *others, *[others[-1]] * (size - len(others))]
        rows = await self._conn.fetch(statement, values)
        found: list[set[int]] = [set() for _ in wanted]
        sources: set[int] = set()
        for which, target in rows:
            if which < len(wanted):
                found[which].add(target)
            else:
                sources.add(target)
        for e, epoch, targets in zip(wanted, epochs, found, strict=True):
            if len(targets) <= MAX_CACHED_EDGES:
                cache.store(e.kind, {user_id: frozenset(targets)}, epoch)
        if incoming is not None and keys:
            known: dict[Hashable, Any] = {k: u in sources or ABSENT for k, u in keys.items()}
            cache.store(incoming.edge_kind, known, edge_epoch)

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
