"""Catalog repository: the public catalogue (artists, genres, samples, singles) in SQL.

Every query narrows to `in_public_catalog`: tracks any viewer may see (public, released, not
taken down) or the asking user's own. It is the SQL twin of `access.track_visible` for a viewer
without secret tokens; the value-added layer still passes each track it returns through the
policy, and tests/integration/test_catalog_queries.py checks the twins agree. Counts computed
here (singles, genres) use the twin directly: they never count a track the viewer cannot see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import msgspec
from sqlalchemy import Select, String, and_, cast, exists, func, or_, select

from app.foundation.cache import CacheSession
from app.foundation.catalog.records import (
    CatalogArtist,
    CatalogScope,
    GenreCount,
    SearchHit,
    SinglesSummary,
)
from app.foundation.catalog.search import (
    postgres_rest,
    postgres_window,
    sqlite_text_search,
    unindexed,
    walk_pays,
    with_fts,
    with_policy_probed,
)
from app.foundation.counters.tables import TrackCountersRow
from app.foundation.db import table_of
from app.foundation.lazy import LazyConnection
from app.foundation.playlists.tables import PlaylistEntryRow, PlaylistRow
from app.foundation.policies.tables import TrackPolicyRow
from app.foundation.query import (
    Key,
    Page,
    fetch_all,
    fetch_page,
    keyset_after,
    page_of,
    select_records,
    unique,
)
from app.foundation.tracks.records import TrackRecord, TrackSearch
from app.foundation.tracks.repository import (
    ORDER,
    SEARCH,
    TracksRepository,
    search_words,
    sqlite_match,
    tracks,
)
from app.foundation.users.tables import UserRow

policies = table_of(TrackPolicyRow)
track_counters = table_of(TrackCountersRow)
users = table_of(UserRow)
playlists = table_of(PlaylistRow)
entries = table_of(PlaylistEntryRow)
ALBUM = "album"
MAX_SAMPLE = 1000
WITH_POLICY = tracks.join(policies, policies.c.track_id == tracks.c.id)


def in_public_catalog(now: dt.datetime, viewer_id: int | None) -> Any:
    """The track is public, released by `now` and not taken down — or the viewer's own."""
    return in_catalog_of(now, () if viewer_id is None else (viewer_id,))


def in_catalog_of(now: dt.datetime, owners: Sequence[int], *, by_sharing: bool = True) -> Any:
    """The track is public, released by `now` and not taken down — or one of `owners`' (those
    whose every track the viewer may see: themselves, the creators their app manages).
    `by_sharing=False` keeps SQLite from reading policies through their sharing index (most
    tracks are public: the track-side order or matches must drive the plan)."""
    released = or_(policies.c.release_at.is_(None), policies.c.release_at <= now)
    sharing = policies.c.sharing if by_sharing else unindexed(policies.c.sharing)
    public = and_(sharing == "public", policies.c.taken_down_at.is_(None), released)
    if not owners:
        return public
    return or_(public, _owned_by(owners))


def _owned_by(owners: Sequence[int]) -> Any:
    return tracks.c.user_id == owners[0] if len(owners) == 1 else tracks.c.user_id.in_(owners)


def unblocked_in(scope: CatalogScope) -> Any:
    """The track may at least be previewed in the scope's territory, or is one of its owners'
    (a superset of the policy's decision where territories are listed: the policy decides)."""
    listed = cast(policies.c.territories, String)
    anywhere = [policies.c.territories.is_(None), listed == "null"]
    if scope.territory is not None and scope.territory.isalnum():
        anywhere.append(listed.like(f'%"{scope.territory}"%'))
    streams = and_(policies.c.streamable.is_(True), or_(*anywhere))
    return or_(streams, _owned_by(scope.owners)) if scope.owners else streams


def in_visible_album(viewer_id: int | None) -> Any:
    """The track is on an album of its owner that the viewer may see (public, or their own)."""
    shared = playlists.c.sharing == "public"
    visible = shared if viewer_id is None else or_(shared, playlists.c.user_id == viewer_id)
    held = (
        select(entries.c.id)
        .select_from(entries.join(playlists, playlists.c.id == entries.c.playlist_id))
        .where(
            entries.c.track_id == tracks.c.id,
            playlists.c.set_type == ALBUM,
            playlists.c.user_id == tracks.c.user_id,
            visible,
        )
    )
    return exists(held)


class CatalogRepository:
    """Read-only queries over the public catalogue (nothing here is cached: they are lists)."""

    def __init__(
        self, conn: LazyConnection, tracks_repository: TracksRepository, cache: CacheSession
    ) -> None:
        self._conn = conn
        self._tracks = tracks_repository
        self._cache = cache

    async def search(
        self,
        filters: TrackSearch,
        now: dt.datetime,
        scope: CatalogScope,
        after: Key | None,
        limit: int,
    ) -> Page[TrackRecord]:
        """A page of the catalogue tracks (`in_catalog_of`, `unblocked_in`) matching `filters`,
        newest first. The page's ids are cached briefly per filters and scope (search tolerates
        seconds of staleness; any track or policy write in this process starts a new
        generation); the records come through the tracks repository (its cache, else one
        statement with their companions)."""
        key = (self._cache.epoch(SEARCH), repr(filters), scope, after, limit)

        async def load(_: list[Any]) -> dict[Any, Page[SearchHit]]:
            return {key: await self._search_hits(filters, now, scope, after, limit)}

        hits: Page[SearchHit] = (await self._cache.read_through(SEARCH, [key], load))[key]
        found = {t.id: t for t in await self._tracks.get_many([h.id for h in hits.items])}
        return Page([found[h.id] for h in hits.items if h.id in found], hits.next_key)

    async def _search_hits(
        self,
        filters: TrackSearch,
        now: dt.datetime,
        scope: CatalogScope,
        after: Key | None,
        limit: int,
    ) -> Page[SearchHit]:
        words = search_words(filters.text or "")
        sqlite = self._conn.dialect.name == "sqlite"
        source = with_fts(WITH_POLICY) if words and sqlite else WITH_POLICY
        visible = [in_catalog_of(now, scope.owners, by_sharing=not sqlite)]
        if scope.unblocked:
            visible.append(unblocked_in(scope))
        # (a text search matches the text in its own statement shapes)
        narrowing = msgspec.structs.replace(filters, text=None)
        columns = (tracks.c.id, tracks.c.created_at)
        base = self._tracks.filtered(
            select(*columns).select_from(source).where(*visible), narrowing
        )
        if words:
            # (text: newest id first, the order the full-text index reads; keyset: the id)
            after_id = _after_id(after)
            if sqlite:
                stmt = sqlite_text_search(base, sqlite_match(words), after_id, limit + 1)
                hits = [SearchHit(*row) for row in await self._conn.execute(stmt)]
            else:
                probed: Select[Any] = select(*columns).select_from(with_policy_probed(visible))
                probed = self._tracks.filtered(probed, narrowing)
                hits = await self._postgres_text_hits(base, probed, words, after_id, limit + 1)
            return page_of(hits, limit, ("id",))
        after_key = keyset_after(ORDER, after)
        if after_key is not None:
            base = base.where(after_key)
        stmt = base.order_by(*(c.desc() for c in ORDER)).limit(limit + 1)
        hits = [SearchHit(*row) for row in await self._conn.execute(stmt)]
        return page_of(hits, limit, ("created_at", "id"))

    async def _postgres_text_hits(
        self,
        base: Select[Any],
        probed: Select[Any],
        words: list[str],
        after_id: int | None,
        wanted: int,
    ) -> list[SearchHit]:
        """Up to `wanted` matches, newest id first: the newest window walked, then (when it
        held fewer) the rest below it, walked (`base`) or through the GIN index (`probed`:
        the same tracks, each policy probed by key), as `walk_pays` says."""
        rows = list(await self._conn.execute(postgres_window(base, words, after_id, wanted)))
        hits = [SearchHit(r.id, r.created_at) for r in rows if r.id is not None]
        floor, first = rows[0].floor, rows[0].first
        if len(hits) >= wanted or floor is None or first is None or floor <= first:
            return hits
        need = wanted - len(hits)
        walk = walk_pays(len(hits), need)
        rest = postgres_rest(base if walk else probed, words, floor, need, walk=walk)
        return hits + [SearchHit(*row) for row in await self._conn.execute(rest)]

    async def artists(
        self, now: dt.datetime, viewer_id: int | None, after: Key | None, limit: int
    ) -> Page[CatalogArtist]:
        """Users owning a catalogue track, by username (then id), each with its newest one."""
        newest = (
            select(func.max(tracks.c.id))
            .select_from(WITH_POLICY)
            .where(tracks.c.user_id == users.c.id, in_public_catalog(now, viewer_id))
            .scalar_subquery()
        )
        stmt = select(users.c.id, users.c.username, newest.label("track_id")).where(
            newest.is_not(None)
        )
        order = [users.c.username, users.c.id]
        return await fetch_page(
            self._conn,
            stmt,
            CatalogArtist,
            order,
            after,
            limit,
            ["username", "id"],
            descending=False,
        )

    async def owners(
        self, user_ids: Sequence[int], now: dt.datetime, viewer_id: int | None
    ) -> dict[int, int]:
        """Of `user_ids`, those owning a catalogue track -> their newest such track id."""
        if not user_ids:
            return {}
        stmt = (
            select(tracks.c.user_id, func.max(tracks.c.id))
            .select_from(WITH_POLICY)
            .where(tracks.c.user_id.in_(unique(user_ids)), in_public_catalog(now, viewer_id))
            .group_by(tracks.c.user_id)
        )
        return {int(u): int(t) for u, t in await self._conn.execute(stmt)}

    async def genres(self, now: dt.datetime, viewer_id: int | None) -> list[GenreCount]:
        """Genres of catalogue tracks with how many tracks carry each, most first."""
        count = func.count().label("tracks")
        stmt = (
            select(tracks.c.genre, count)
            .select_from(WITH_POLICY)
            .where(tracks.c.genre != "", in_public_catalog(now, viewer_id))
            .group_by(tracks.c.genre)
            .order_by(count.desc(), tracks.c.genre)
        )
        return [GenreCount(g, int(n)) for g, n in await self._conn.execute(stmt)]

    async def album_genres(self, viewer_id: int | None) -> dict[str, int]:
        """Genre -> how many albums the viewer may see carry it (public ones and their own)."""
        shared = playlists.c.sharing == "public"
        visible = shared if viewer_id is None else or_(shared, playlists.c.user_id == viewer_id)
        stmt = (
            select(playlists.c.genre, func.count())
            .where(playlists.c.set_type == ALBUM, playlists.c.genre != "", visible)
            .group_by(playlists.c.genre)
        )
        return {str(g): int(n) for g, n in await self._conn.execute(stmt)}

    async def sample(
        self, now: dt.datetime, viewer_id: int | None, limit: int, filters: TrackSearch
    ) -> list[TrackRecord]:
        """Up to `limit` catalogue tracks matching `filters`, in random order."""
        base = select_records(tracks, TrackRecord).select_from(WITH_POLICY)
        stmt = (
            self._tracks.filtered(base, filters)
            .where(in_public_catalog(now, viewer_id))
            .order_by(func.random())
            .limit(min(limit, MAX_SAMPLE))
        )
        return await fetch_all(self._conn, stmt, TrackRecord)

    async def most_played_of(self, user_id: int, limit: int) -> list[TrackRecord]:
        """The user's tracks by all-time plays, most first (the caller applies the policy)."""
        stmt = (
            select_records(tracks, TrackRecord)
            .join(track_counters, track_counters.c.track_id == tracks.c.id)
            .where(tracks.c.user_id == user_id)
            .order_by(track_counters.c.plays.desc(), tracks.c.id.desc())
            .limit(limit)
        )
        return await fetch_all(self._conn, stmt, TrackRecord)

    async def singles(
        self, user_id: int, now: dt.datetime, viewer_id: int | None, limit: int
    ) -> list[TrackRecord]:
        """The user's catalogue tracks on no visible album of theirs, newest first."""
        stmt = (
            select_records(tracks, TrackRecord)
            .select_from(WITH_POLICY)
            .where(
                tracks.c.user_id == user_id,
                in_public_catalog(now, viewer_id),
                ~in_visible_album(viewer_id),
            )
            .order_by(tracks.c.created_at.desc(), tracks.c.id.desc())
            .limit(limit)
        )
        return await fetch_all(self._conn, stmt, TrackRecord)

    async def singles_summaries(
        self, user_ids: Sequence[int], now: dt.datetime, viewer_id: int | None, limit: int
    ) -> dict[int, SinglesSummary]:
        """For each of `user_ids` with singles: how many (at most `limit`), their duration and
        when the newest was created."""
        if not user_ids:
            return {}
        ranked = (
            select(
                tracks.c.user_id,
                tracks.c.duration_ms,
                tracks.c.created_at,
                func.row_number()
                .over(
                    partition_by=tracks.c.user_id,
                    order_by=(tracks.c.created_at.desc(), tracks.c.id.desc()),
                )
                .label("n"),
            )
            .select_from(WITH_POLICY)
            .where(
                tracks.c.user_id.in_(unique(user_ids)),
                in_public_catalog(now, viewer_id),
                ~in_visible_album(viewer_id),
            )
            .subquery()
        )
        stmt = (
            select(
                ranked.c.user_id,
                func.count(),
                func.coalesce(func.sum(ranked.c.duration_ms), 0),
                func.max(ranked.c.created_at),
            )
            .where(ranked.c.n <= limit)
            .group_by(ranked.c.user_id)
        )
        found = {}
        for user, count, duration, newest in await self._conn.execute(stmt):
            found[int(user)] = SinglesSummary(int(user), int(count), int(duration), newest)
        return found


def _after_id(after: Key | None) -> int | None:
    """The id a text search's next page starts below (its keyset is the last id)."""
    if after is None:
        return None
    if len(after) != 1 or not isinstance(after[0], int):
        raise ValueError("malformed keyset key")
    return after[0]
