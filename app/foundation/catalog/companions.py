"""Tracks read with their companions: a track the record cache lacks is read in ONE statement
with its policy, counts, media and owner (and the owner's counts), each kept in the record cache
under its own kind, so the reads of those that follow (every track read asks for the policy,
most for the rest) find them there instead of running a statement each. For a signed-in viewer
the same statement says whether each track's owner follows the viewer (the owner's card asks
next), kept as a single follow edge (docs/architecture.md, "Named cross-service reads")."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, NamedTuple

import msgspec
from sqlalchemy import String, and_, bindparam, case, func, null, select

from app.foundation.cache import ABSENT, CacheSession
from app.foundation.counters.records import Release, TrackCounts, UserCounts
from app.foundation.counters.repository import releases, track_counters, user_counters
from app.foundation.db import utc_timestamp
from app.foundation.lazy import LazyConnection
from app.foundation.media.records import MediaRecord
from app.foundation.media.repository import media
from app.foundation.policies.records import TrackPolicyRecord
from app.foundation.policies.repository import policies
from app.foundation.query import columns_of, fetch_by_keys
from app.foundation.social.repository import edge_key, edge_kind, follows
from app.foundation.tracks.records import TrackRecord
from app.foundation.tracks.repository import tracks
from app.foundation.users.records import UserRecord
from app.foundation.users.repository import users


class _Part(NamedTuple):
    """One companion record: its cache kind, columns, and how its values become (key, value)
    to keep — the value ABSENT for a missing row of a kind cached negatively; None: keep
    nothing (no row of a kind that is not, or a row its own repository must complete)."""

    kind: str
    columns: tuple[Any, ...]
    build: Callable[[tuple[Any, ...]], tuple[Hashable, Any] | None]


def _counts_fields(record: Any) -> tuple[str, ...]:
    return tuple(f for f in record.__struct_fields__ if f != "releases")


_TRACK_COUNTS = _counts_fields(TrackCounts)
_USER_COUNTS = _counts_fields(UserCounts)


def _record(record: Any) -> Callable[[tuple[Any, ...]], tuple[Hashable, Any] | None]:
    def build(values: tuple[Any, ...]) -> tuple[Hashable, Any] | None:
        return None if values[0] is None else (values[0], record(*values))

    return build


def _media(values: tuple[Any, ...]) -> tuple[Hashable, Any] | None:
    return None if values[0] is None else (values[1], MediaRecord(*values))


def _user_counts(values: tuple[Any, ...]) -> tuple[Hashable, Any] | None:
    *fields, pending = values
    if fields[0] is None or pending:  # (scheduled releases: built with them, see _releases)
        return None
    return fields[0], UserCounts(**dict(zip(_USER_COUNTS, fields, strict=True)))


_PARTS = (
    _Part("policy", tuple(columns_of(policies, TrackPolicyRecord)), _record(TrackPolicyRecord)),
    _Part(
        f"counts:{track_counters.name}",
        tuple(track_counters.c[f] for f in _TRACK_COUNTS),
        _record(TrackCounts),
    ),
    _Part("media", tuple(columns_of(media, MediaRecord)), _media),
    _Part("user", tuple(columns_of(users, UserRecord)), _record(UserRecord)),
    _Part(
        f"counts:{user_counters.name}",
        (*(user_counters.c[f] for f in _USER_COUNTS), user_counters.c.pending),
        _user_counts,
    ),
)
_NEGATIVE = {f"counts:{track_counters.name}", "media", f"counts:{user_counters.name}"}
"""Kinds whose repositories cache a missing row as ABSENT (no counts: zero; no media)."""
_TRACK = tuple(columns_of(tracks, TrackRecord))
_COLUMNS = (*_TRACK, *(c for part in _PARTS for c in part.columns))
_JOINED = (
    tracks.outerjoin(policies, policies.c.track_id == tracks.c.id)
    .outerjoin(track_counters, track_counters.c.track_id == tracks.c.id)
    .outerjoin(media, media.c.track_id == tracks.c.id)
    .outerjoin(users, users.c.id == tracks.c.user_id)
    .outerjoin(user_counters, user_counters.c.user_id == tracks.c.user_id)
)

_OWNER_COUNTS = f"counts:{user_counters.name}"


def _scheduled(sqlite: bool) -> Any:
    """The owner's scheduled releases as one JSON text column, `[[release_at, name, delta],
    …]` (NULL when its counters have none pending): one row per track however many releases,
    from the releases' (entity, entity_id) index. Was a LEFT JOIN, a row per release (~3.3 per
    track read, every one of ~85 columns decoded and processed to keep one)."""
    r = releases.c
    item = (func.json_array if sqlite else func.json_build_array)(r.release_at, r.name, r.delta)
    listed = (func.json_group_array if sqlite else func.json_agg)(item, type_=String)
    owned = and_(r.entity == "user", r.entity_id == tracks.c.user_id)
    return case(
        (user_counters.c.pending > 0, select(listed).where(owned).scalar_subquery()),
        else_=null(),
    )


def _releases(listed: str | list[Any] | None) -> tuple[Release, ...]:
    """The releases `_scheduled` listed (those that still change a count): JSON text (SQLite),
    or as asyncpg's JSON codec (SQLAlchemy sets it on each connection) already decoded it;
    timestamps as ISO text (SQLite's naive UTC, PostgreSQL's with an offset)."""
    if not listed:
        return ()
    items = msgspec.json.decode(listed) if isinstance(listed, str) else listed
    return tuple(Release(utc_timestamp(at), name, delta) for at, name, delta in items if delta)


_FOLLOWS = edge_kind(follows)
_FOLLOWER = (follows.c.follower_id,)
_FOLLOWING = and_(
    follows.c.follower_id == tracks.c.user_id,
    follows.c.followee_id == bindparam("followee", None, type_=follows.c.followee_id.type),
)
"""The owner follows the viewer: the follows row by its primary key (no row: it does not)."""
_SHAPES = {
    (sqlite, following): (
        (*_COLUMNS, _scheduled(sqlite), *(_FOLLOWER if following else ())),
        _JOINED.outerjoin(follows, _FOLLOWING) if following else _JOINED,
    )
    for sqlite in (False, True)
    for following in (False, True)
}
"""(SQLite?, with the owner's follow edge to the viewer?) -> (columns, source), built once."""


def _slices() -> list[tuple[_Part, slice]]:
    out, start = [], len(_TRACK)
    for part in _PARTS:
        out.append((part, slice(start, start + len(part.columns))))
        start += len(part.columns)
    return out


_SLICES = _slices()


async def tracks_with_companions(
    conn: LazyConnection, cache: CacheSession, ids: Sequence[Any], following: int | None = None
) -> list[TrackRecord]:
    """The track records of `ids` (one statement), their companions kept in the record cache
    (each kind at its epoch from before the read, so a racing write's invalidation wins).
    `following`: a viewer; the statement also reads whether each track's owner follows them,
    kept as the follow edge (owner, viewer) where the cache lacks it (true, or ABSENT)."""
    epochs = {part.kind: cache.epoch(part.kind) for part in _PARTS}
    edge_epoch = cache.epoch(_FOLLOWS)
    columns, source = _SHAPES[conn.dialect.name == "sqlite", following is not None]
    given = None if following is None else {"followee": following}
    rows = await fetch_by_keys(conn, columns, tracks.c.id, ids, None, given, source)
    found: list[TrackRecord] = []
    kept: dict[str, dict[Hashable, Any]] = {part.kind: {} for part in _PARTS}
    edges: dict[Hashable, Any] = {}
    width = len(_COLUMNS)
    for row in rows:
        track = TrackRecord(*row[: len(_TRACK)])
        found.append(track)
        for part, where in _SLICES:
            built = part.build(tuple(row[where]))
            if built is not None:
                kept[part.kind][built[0]] = built[1]
            elif part.kind in _NEGATIVE and row[where][0] is None:
                key = track.user_id if part.kind.endswith(user_counters.name) else track.id
                kept[part.kind][key] = ABSENT
        if _owner_pending(row):  # (its counts with their scheduled releases, listed in the row)
            counts = dict(zip(_USER_COUNTS, row[_SLICES[-1][1]][:-1], strict=True))
            owner = UserCounts(**counts, releases=_releases(row[width]))
            kept[_OWNER_COUNTS][owner.user_id] = owner
        if following is not None and track.user_id != following:
            edge = edge_key(track.user_id, following)
            if cache.lacks(_FOLLOWS, edge):
                edges[edge] = True if row[width + 1] is not None else ABSENT
    batches = [(kind, values, epochs[kind]) for kind, values in kept.items()]
    batches.append((_FOLLOWS, edges, edge_epoch))
    cache.store_kinds(batches)
    return found


def _owner_pending(row: tuple[Any, ...]) -> bool:
    """Has the row's owner a counters row with scheduled releases (not kept by `_user_counts`)?"""
    fields = row[_SLICES[-1][1]]
    return fields[0] is not None and bool(fields[-1])


_POLICY = _PARTS[0]
_WITH_POLICY = (*_TRACK, *_POLICY.columns)
_POLICY_JOINED = tracks.outerjoin(policies, policies.c.track_id == tracks.c.id)


async def tracks_with_policies(
    conn: LazyConnection, cache: CacheSession, ids: Sequence[Any]
) -> list[TrackRecord]:
    """The track records of `ids` with their policies (kept in the record cache), in one
    statement: what a command about a track reads next (a write unit of work's companions;
    the others would cost it more to build than the statements they save)."""
    epoch = cache.epoch(_POLICY.kind)
    rows = await fetch_by_keys(conn, _WITH_POLICY, tracks.c.id, ids, source=_POLICY_JOINED)
    width = len(_TRACK)
    found: list[TrackRecord] = []
    kept: dict[Hashable, Any] = {}
    for row in rows:
        found.append(TrackRecord(*row[:width]))
        built = _POLICY.build(tuple(row[width:]))
        if built is not None:
            kept[built[0]] = built[1]
    cache.store(_POLICY.kind, kept, epoch)
    return found
