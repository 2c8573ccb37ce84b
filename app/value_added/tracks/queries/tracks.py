"""Track reads: one, many, resolve, lists, search, related, feed, history and comments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from app.foundation.catalog.records import CatalogScope
from app.foundation.plays.records import PlayRecord
from app.foundation.query import Key, Page
from app.foundation.social.records import CommentRecord
from app.foundation.social.repository import Edges
from app.foundation.tracks.records import TrackRecord, TrackSearch
from app.foundation.tracks.repository import search_words
from app.foundation.unit_of_work import UnitOfWork
from app.value_added import access
from app.value_added.access import Access, Viewer
from app.value_added.catalog import (
    Loaded,
    load_visible,
    load_visible_ids,
    resolve_permalinks,
    visible_track,
)
from app.value_added.common.cursor import Page as VasPage
from app.value_added.common.deps import Deps
from app.value_added.common.edges import EdgeLists, Which, with_times
from app.value_added.common.fieldmask import FieldMask
from app.value_added.common.paging import everything, listing
from app.value_added.media import RENDITIONS
from app.value_added.tracks.aggregates import TRACK_PATHS, Comment, Track
from app.value_added.tracks.loading import assemble
from app.value_added.tracks.requests import TrackQuery
from app.value_added.tracks.validation import release_year

MAX_FOLLOWINGS_IN_FEED = 2000
Fetch = Callable[[UnitOfWork, Key | None, int], Awaitable[Page[Any]]]
_BY_KIND = {r.kind: r for r in RENDITIONS}
_EXT = {"progressive": "mp3", "hls": "m3u8"}


def validate(mask: FieldMask) -> FieldMask:
    return mask.validate(TRACK_PATHS, "track")


def _comment(c: CommentRecord) -> Comment:
    return Comment(c.id, c.track_id, c.user_id, c.body, c.timestamp_ms, c.created_at)


def track_edges(deps: Deps) -> EdgeLists[Viewer, Loaded, Track]:
    """What a user liked or reposted, and who liked or reposted a track."""

    def edges(uow: UnitOfWork, which: Which) -> Edges:
        return uow.social.track_likes if which == "likes" else uow.social.track_reposts

    async def keep(viewer: Viewer, uow: UnitOfWork, ids: list[int]) -> list[Loaded]:
        return await load_visible_ids(uow, viewer, ids, deps.clock())

    async def finish(
        viewer: Viewer, mask: FieldMask, uow: UnitOfWork, found: list[Loaded]
    ) -> list[Track]:
        return await assemble(uow, viewer, found, mask, deps.clock())

    async def require_visible(viewer: Viewer, track_id: int) -> Loaded:
        async with deps.db.read() as uow:
            return await visible_track(uow, viewer, track_id, deps.clock())

    return EdgeLists(deps, "tracks", edges, keep, finish, validate, require_visible)


class TrackQueries:
    """Read side of the Tracks VAS. Every result is filtered through the access policy."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def get(
        self, viewer: Viewer, track_id: int, mask: FieldMask, secret_token: str | None = None
    ) -> Track:
        validate(mask)
        now = self._deps.clock()
        async with self._deps.db.read() as uow:
            # (a viewer's state: the owner's card asks next whether the owner follows them)
            follow = mask.wants("viewer")
            found = await visible_track(
                uow, viewer, track_id, now, secret_token, owners_follow=follow
            )
            tokens = {track_id: secret_token} if secret_token else None
            return (await assemble(uow, viewer, [found], mask, now, tokens))[0]

    async def get_many(self, viewer: Viewer, ids: Sequence[int], mask: FieldMask) -> list[Track]:
        """Tracks by id in request order; invisible and missing ones are dropped."""
        validate(mask)
        now = self._deps.clock()
        async with self._deps.db.read() as uow:
            follow = mask.wants("viewer")
            found = await load_visible_ids(uow, viewer, ids, now, owners_follow=follow)
            return await assemble(uow, viewer, found, mask, now)

    async def resolve(
        self,
        viewer: Viewer,
        user_permalink: str,
        track_permalink: str,
        mask: FieldMask,
        secret_token: str | None = None,
    ) -> Track:
        validate(mask)
        async with self._deps.db.read() as uow:
            track_id = await resolve_permalinks(uow, "track", user_permalink, track_permalink)
        return await self.get(viewer, track_id, mask, secret_token)

    async def visible_ids(self, viewer: Viewer, ids: Sequence[int]) -> list[int]:
        """Of `ids`, those the viewer may see, in order (for other services, e.g. playlists)."""
        now = self._deps.clock()
        async with self._deps.db.read() as uow:
            return [item.track.id for item in await load_visible_ids(uow, viewer, ids, now)]

    async def by_user(
        self, viewer: Viewer, user_id: int, mask: FieldMask, cursor: str | None, limit: int | None
    ) -> VasPage[Track]:
        def fetch(uow: UnitOfWork, key: Key | None, n: int) -> Awaitable[Page[TrackRecord]]:
            return uow.tracks.by_user([user_id], key, n)

        return await self._records_page(
            viewer, mask, f"tracks:user:{user_id}", cursor, limit, fetch
        )

    async def search(
        self,
        viewer: Viewer,
        query: TrackQuery,
        mask: FieldMask,
        cursor: str | None,
        limit: int | None,
    ) -> VasPage[Track]:
        f = TrackSearch(
            text=query.text,
            ids=query.ids,
            genres=query.genres,
            tags=query.tags,
            bpm_from=query.bpm_from,
            bpm_to=query.bpm_to,
            duration_from_ms=query.duration_from_ms,
            duration_to_ms=query.duration_to_ms,
            created_from=query.created_from,
            created_to=query.created_to,
            user_id=query.user_id,
            year_from=release_year("year_from", query.year_from),
            year_to=release_year("year_to", query.year_to),
        )

        now = self._deps.clock()
        seen = CatalogScope(viewer.acted_for, "blocked" not in query.access, viewer.territory)

        def fetch(uow: UnitOfWork, key: Key | None, n: int) -> Awaitable[Page[TrackRecord]]:
            # (what the viewer may see, narrowed in SQL; the policy still checks every track)
            return uow.catalog.search(f, now, seen, key, n)

        # (a text search pages by id, a listing by time: their cursors must not cross)
        ordered_by = "text:" if search_words(query.text or "") else ""
        scope = f"tracks:search:{ordered_by}" + repr(sorted(query.access))
        return await self._records_page(viewer, mask, scope, cursor, limit, fetch, query.access)

    async def related(
        self, viewer: Viewer, track_id: int, mask: FieldMask, cursor: str | None, limit: int | None
    ) -> VasPage[Track]:
        now = self._deps.clock()
        async with self._deps.db.read() as uow:
            track = (await visible_track(uow, viewer, track_id, now)).track

        def fetch(uow: UnitOfWork, key: Key | None, n: int) -> Awaitable[Page[TrackRecord]]:
            return uow.tracks.related(track, key, n)

        scope = f"tracks:related:{track_id}"
        return await self._records_page(viewer, mask, scope, cursor, limit, fetch)

    async def feed(
        self, viewer: Viewer, mask: FieldMask, cursor: str | None, limit: int | None
    ) -> VasPage[Track]:
        """Newest tracks of the users the viewer follows."""
        if viewer.user_id is None:
            return VasPage(items=[])
        user_id = viewer.user_id
        async with self._deps.db.read() as uow:
            followed = await uow.social.follows.of_user(user_id, None, MAX_FOLLOWINGS_IN_FEED)
        followees = [e.target_id for e in followed.items]
        if not followees:
            return VasPage(items=[])

        def fetch(uow: UnitOfWork, key: Key | None, n: int) -> Awaitable[Page[TrackRecord]]:
            return uow.tracks.by_user(followees, key, n)

        return await self._records_page(
            viewer, mask, f"tracks:feed:{user_id}", cursor, limit, fetch
        )

    async def recently_played(
        self, viewer: Viewer, mask: FieldMask, cursor: str | None, limit: int | None
    ) -> VasPage[Track]:
        if viewer.user_id is None:
            return VasPage(items=[])
        user_id = viewer.user_id
        validate(mask)
        now = self._deps.clock()

        def fetch(uow: UnitOfWork, key: Key | None, n: int) -> Awaitable[Page[PlayRecord]]:
            return uow.plays.history(user_id, key, n)

        times: dict[int, dt.datetime] = {}

        async def keep(uow: UnitOfWork, plays: list[PlayRecord]) -> list[Loaded]:
            for p in plays:
                times.setdefault(p.track_id, p.played_at)
            return await load_visible_ids(uow, viewer, [p.track_id for p in plays], now)

        async def finish(uow: UnitOfWork, found: list[Loaded]) -> list[Track]:
            return await assemble(uow, viewer, found, mask, now)

        scope = f"tracks:played:{user_id}"
        page = await listing(self._deps, scope, cursor, limit, fetch, keep, finish)
        return with_times(page, times)

    async def comments(
        self,
        viewer: Viewer,
        track_id: int,
        cursor: str | None,
        limit: int | None,
        secret_token: str | None = None,
    ) -> VasPage[Comment]:
        scope = f"tracks:comments:{track_id}"
        self._deps.cursors.decode(scope, cursor)  # a bad cursor fails before any read
        await self._require_visible(viewer, track_id, secret_token)

        def fetch(uow: UnitOfWork, key: Key | None, n: int) -> Awaitable[Page[CommentRecord]]:
            return uow.social.comments_of_track(track_id, key, n)

        return await listing(self._deps, scope, cursor, limit, fetch, everything, _comments)

    async def get_comment(
        self, viewer: Viewer, comment_id: int, secret_token: str | None = None
    ) -> Comment:
        """One comment, on a track the viewer may see (else NotFound("comment not found"))."""
        async with self._deps.db.read() as uow:
            found = await uow.social.comment(comment_id)
            visible = found is not None and bool(
                await load_visible_ids(
                    uow,
                    viewer,
                    [found.track_id],
                    self._deps.clock(),
                    {found.track_id: secret_token} if secret_token else None,
                )
            )
        if found is None or not visible:
            raise access.not_found("comment")
        return _comment(found)

    async def comments_by_user(
        self, viewer: Viewer, user_id: int, cursor: str | None, limit: int | None
    ) -> VasPage[Comment]:
        """A user's comments, keeping only those on tracks the viewer may see."""
        now = self._deps.clock()

        def fetch(uow: UnitOfWork, key: Key | None, n: int) -> Awaitable[Page[CommentRecord]]:
            return uow.social.comments_of_user(user_id, key, n)

        async def keep(uow: UnitOfWork, rows: list[CommentRecord]) -> list[CommentRecord]:
            loaded = await load_visible_ids(uow, viewer, [c.track_id for c in rows], now)
            visible = {item.track.id for item in loaded}
            return [c for c in rows if c.track_id in visible]

        scope = f"tracks:user-comments:{user_id}"
        return await listing(self._deps, scope, cursor, limit, fetch, keep, _comments)

    async def _require_visible(self, viewer: Viewer, track_id: int, token: str | None) -> Loaded:
        async with self._deps.db.read() as uow:
            return await visible_track(uow, viewer, track_id, self._deps.clock(), token)

    async def _records_page(
        self,
        viewer: Viewer,
        mask: FieldMask,
        scope: str,
        cursor: str | None,
        limit: int | None,
        fetch: Callable[[UnitOfWork, Key | None, int], Awaitable[Page[TrackRecord]]],
        access_levels: frozenset[Access] | None = None,
    ) -> VasPage[Track]:
        validate(mask)
        now = self._deps.clock()

        async def keep(uow: UnitOfWork, records: list[TrackRecord]) -> list[Loaded]:
            found = await load_visible(uow, viewer, records, now)
            if access_levels is None:
                return found
            return [
                item
                for item in found
                if access.track_access(viewer, item.track.user_id, item.policy, now)
                in access_levels
            ]

        async def finish(uow: UnitOfWork, found: list[Loaded]) -> list[Track]:
            return await assemble(uow, viewer, found, mask, now)

        return await listing(self._deps, scope, cursor, limit, fetch, keep, finish)


async def _comments(_: UnitOfWork, rows: list[CommentRecord]) -> list[Comment]:
    return [_comment(c) for c in rows]
