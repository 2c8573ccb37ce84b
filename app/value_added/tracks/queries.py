"""Tracks VAS queries: one, many, resolve, lists, search, social lists, comments, feed, history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence

from app.foundation.catalog.records import CatalogArtist
from app.foundation.plays.records import PlayRecord
from app.foundation.query import Key, Page
from app.foundation.social.records import CommentRecord, EdgeRecord
from app.foundation.tracks.records import TrackRecord, TrackSearch
from app.foundation.unit_of_work import UnitOfWork
from app.value_added import access
from app.value_added.access import Viewer
from app.value_added.common import cursor as cursors
from app.value_added.common.cursor import Page as VasPage
from app.value_added.common.deps import Deps
from app.value_added.common.errors import InvalidArgument, NotFound
from app.value_added.common.fieldmask import FieldMask
from app.value_added.common.paging import everything, filtered_page, listing
from app.value_added.tracks.aggregates import TRACK_PATHS, Genre, Track
from app.value_added.tracks.loading import Loaded, assemble, load_visible, load_visible_ids
from app.value_added.tracks.requests import Comment, TrackQuery, UserRef

NOT_FOUND = "track not found"
MAX_FOLLOWINGS_IN_FEED = 2000
MAX_SAMPLE = 500
"""Most tracks a random sample or a most-played list returns."""


def validate(mask: FieldMask) -> FieldMask:
    return mask.validate(TRACK_PATHS, "track")


class TrackQueries:
    """Read side of the Tracks VAS. Every result is filtered through the access policy."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def get(
        self, viewer: Viewer, track_id: int, mask: FieldMask, secret_token: str | None = None
    ) -> Track:
        validate(mask)
        now = self._deps.clock()
        tokens = {track_id: secret_token} if secret_token else None
        async with self._deps.db.read() as uow:
            found = await load_visible_ids(uow, viewer, [track_id], now, tokens)
            if not found:
                raise NotFound(NOT_FOUND)
            return (await assemble(uow, viewer, found, mask, now, tokens))[0]

    async def get_many(self, viewer: Viewer, ids: Sequence[int], mask: FieldMask) -> list[Track]:
        """Tracks by id in request order; invisible and missing ones are dropped."""
        validate(mask)
        now = self._deps.clock()
        async with self._deps.db.read() as uow:
            found = await load_visible_ids(uow, viewer, ids, now)
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
            owner = await uow.users.by_permalink(user_permalink)
            record = owner and await uow.tracks.by_permalink(owner.id, track_permalink)
        if not record:
            raise NotFound(NOT_FOUND)
        return await self.get(viewer, record.id, mask, secret_token)

    async def by_user(
        self, viewer: Viewer, user_id: int, mask: FieldMask, cursor: str | None, limit: int | None
    ) -> VasPage[Track]:
        scope = f"tracks:user:{user_id}"
        return await self._records_page(
            viewer,
            mask,
            scope,
            cursor,
            limit,
            lambda uow, k, n: uow.tracks.by_user([user_id], k, n),
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
            year_from=_year("year_from", query.year_from),
            year_to=_year("year_to", query.year_to),
        )
        scope = "tracks:search:" + repr(sorted(query.access))
        return await self._records_page(
            viewer,
            mask,
            scope,
            cursor,
            limit,
            lambda uow, k, n: uow.tracks.search(f, k, n),
            query.access,
        )

    async def related(
        self, viewer: Viewer, track_id: int, mask: FieldMask, cursor: str | None, limit: int | None
    ) -> VasPage[Track]:
        now = self._deps.clock()
        async with self._deps.db.read() as uow:
            found = await load_visible_ids(uow, viewer, [track_id], now)
        if not found:
            raise NotFound(NOT_FOUND)
        track = found[0].track
        return await self._records_page(
            viewer,
            mask,
            f"tracks:related:{track_id}",
            cursor,
            limit,
            lambda uow, k, n: uow.tracks.related(track, k, n),
        )

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
        return await self._records_page(
            viewer,
            mask,
            f"tracks:feed:{user_id}",
            cursor,
            limit,
            lambda uow, k, n: uow.tracks.by_user(followees, k, n),
        )

    async def liked_by(
        self, viewer: Viewer, user_id: int, mask: FieldMask, cursor: str | None, limit: int | None
    ) -> VasPage[Track]:
        return await self._edges_page(
            viewer,
            mask,
            f"tracks:liked:{user_id}",
            cursor,
            limit,
            lambda uow, k, n: uow.social.track_likes.of_user(user_id, k, n),
        )

    async def reposted_by(
        self, viewer: Viewer, user_id: int, mask: FieldMask, cursor: str | None, limit: int | None
    ) -> VasPage[Track]:
        return await self._edges_page(
            viewer,
            mask,
            f"tracks:reposted:{user_id}",
            cursor,
            limit,
            lambda uow, k, n: uow.social.track_reposts.of_user(user_id, k, n),
        )

    async def recently_played(
        self, viewer: Viewer, mask: FieldMask, cursor: str | None, limit: int | None
    ) -> VasPage[Track]:
        if viewer.user_id is None:
            return VasPage(items=[])
        user_id = viewer.user_id
        validate(mask)
        size = cursors.clamp_limit(limit)
        scope = f"tracks:played:{user_id}"
        now = self._deps.clock()
        async with self._deps.db.read() as uow:

            async def keep(plays: list[PlayRecord]) -> list[Loaded]:
                ids = [p.track_id for p in plays]
                return await load_visible_ids(uow, viewer, ids, now)

            found, key = await filtered_page(
                lambda k, n: uow.plays.history(user_id, k, n),
                keep,
                self._deps.cursors.decode(scope, cursor),
                size,
            )
            items = await assemble(uow, viewer, found, mask, now)
        return VasPage(items=items, next_cursor=self._deps.cursors.encode(scope, key))

    async def likers(
        self, viewer: Viewer, track_id: int, cursor: str | None, limit: int | None
    ) -> VasPage[UserRef]:
        return await self._people(viewer, track_id, cursor, limit, "likers")

    async def reposters(
        self, viewer: Viewer, track_id: int, cursor: str | None, limit: int | None
    ) -> VasPage[UserRef]:
        return await self._people(viewer, track_id, cursor, limit, "reposters")

    async def comments(
        self,
        viewer: Viewer,
        track_id: int,
        cursor: str | None,
        limit: int | None,
        secret_token: str | None = None,
    ) -> VasPage[Comment]:
        size = cursors.clamp_limit(limit)
        scope = f"tracks:comments:{track_id}"
        after = self._deps.cursors.decode(scope, cursor)
        await self._ensure_visible(viewer, track_id, secret_token)
        async with self._deps.db.read() as uow:
            page = await uow.social.comments_of_track(track_id, after, size)
        items = [
            Comment(c.id, c.track_id, c.user_id, c.body, c.timestamp_ms, c.created_at)
            for c in page.items
        ]
        return VasPage(items=items, next_cursor=self._deps.cursors.encode(scope, page.next_key))

    async def comments_by_user(
        self, viewer: Viewer, user_id: int, cursor: str | None, limit: int | None
    ) -> VasPage[Comment]:
        """A user's comments, keeping only those on tracks the viewer may see."""
        size = cursors.clamp_limit(limit)
        scope = f"tracks:user-comments:{user_id}"
        now = self._deps.clock()
        async with self._deps.db.read() as uow:

            async def keep(rows: list[CommentRecord]) -> list[Comment]:
                ids = [c.track_id for c in rows]
                loaded = await load_visible_ids(uow, viewer, ids, now)
                visible = {item.track.id for item in loaded}
                return [_comment(c) for c in rows if c.track_id in visible]

            items, key = await filtered_page(
                lambda k, n: uow.social.comments_of_user(user_id, k, n),
                keep,
                self._deps.cursors.decode(scope, cursor),
                size,
            )
        return VasPage(items=items, next_cursor=self._deps.cursors.encode(scope, key))

    # ---------------------------------------------------------------- catalogue views
    # The foundation narrows candidates to the public catalogue (plus the viewer's own tracks)
    # in SQL; every track returned here still passes the access policy (load_visible*).

    async def random(
        self, viewer: Viewer, mask: FieldMask, size: int, query: TrackQuery | None = None
    ) -> list[Track]:
        """Up to `size` (1-500) random tracks the viewer may see, optionally filtered by
        genre and release year."""
        validate(mask)
        _size("size", size)
        q = query or TrackQuery()
        filters = TrackSearch(
            genres=q.genres,
            year_from=_year("year_from", q.year_from),
            year_to=_year("year_to", q.year_to),
        )
        now = self._deps.clock()
        async with self._deps.db.read() as uow:
            records = await uow.catalog.sample(now, viewer.user_id, size, filters)
            found = await load_visible(uow, viewer, records, now)
            return await assemble(uow, viewer, found, mask, now)

    async def genres(self, viewer: Viewer) -> list[Genre]:
        """Genres of the tracks the viewer may see (the public catalogue and their own), with
        how many tracks each has, most first."""
        now = self._deps.clock()
        async with self._deps.db.read() as uow:
            counts = await uow.catalog.genres(now, viewer.user_id)
        return [Genre(c.genre, c.tracks) for c in counts]

    async def artist_ids(
        self, viewer: Viewer, cursor: str | None, limit: int | None
    ) -> VasPage[int]:
        """Ids of the users owning at least one track the viewer may see, by username."""
        now = self._deps.clock()

        async def fetch(uow: UnitOfWork, key: Key | None, n: int) -> Page[CatalogArtist]:
            return await uow.catalog.artists(now, viewer.user_id, key, n)

        async def keep(uow: UnitOfWork, found: list[CatalogArtist]) -> list[int]:
            visible = await self._visible_of(uow, viewer, [a.track_id for a in found], now)
            return [a.id for a in found if a.track_id in visible]

        return await listing(self._deps, "tracks:artists", cursor, limit, fetch, keep, _ids)

    async def artists_among(self, viewer: Viewer, user_ids: Sequence[int]) -> list[int]:
        """Of `user_ids` (in order), those owning at least one track the viewer may see."""
        now = self._deps.clock()
        async with self._deps.db.read() as uow:
            newest = await uow.catalog.owners(user_ids, now, viewer.user_id)
            visible = await self._visible_of(uow, viewer, list(newest.values()), now)
        return [u for u in dict.fromkeys(user_ids) if newest.get(u) in visible]

    async def most_played_of(
        self, viewer: Viewer, user_id: int, mask: FieldMask, limit: int
    ) -> list[Track]:
        """The user's tracks the viewer may see, by all-time plays (an artist's top songs)."""
        validate(mask)
        _size("count", limit)
        now = self._deps.clock()
        async with self._deps.db.read() as uow:
            records = await uow.catalog.most_played_of(user_id, MAX_SAMPLE)
            found = (await load_visible(uow, viewer, records, now))[:limit]
            return await assemble(uow, viewer, found, mask, now)

    async def most_played_by(self, viewer: Viewer, mask: FieldMask, limit: int) -> list[Track]:
        """The tracks the viewer played most (that they may still see), most first."""
        validate(mask)
        _size("size", limit)
        if viewer.user_id is None:
            return []
        now = self._deps.clock()
        async with self._deps.db.read() as uow:
            counted = await uow.plays.most_played_by(viewer.user_id, MAX_SAMPLE)
            found = await load_visible_ids(uow, viewer, [t for t, _ in counted], now)
            return await assemble(uow, viewer, found[:limit], mask, now)

    async def liked_at(self, viewer: Viewer, track_ids: Sequence[int]) -> dict[int, dt.datetime]:
        """When the viewer liked each of `track_ids` they like (a like is the viewer's own)."""
        if viewer.user_id is None or not track_ids:
            return {}
        async with self._deps.db.read() as uow:
            return await uow.social.track_likes.since(viewer.user_id, track_ids)

    async def _visible_of(
        self, uow: UnitOfWork, viewer: Viewer, ids: Sequence[int], now: dt.datetime
    ) -> set[int]:
        return {item.track.id for item in await load_visible_ids(uow, viewer, ids, now)}

    async def visible_ids(self, viewer: Viewer, ids: Sequence[int]) -> list[int]:
        """Of `ids`, those the viewer may see, in order (for other services, e.g. playlists)."""
        now = self._deps.clock()
        async with self._deps.db.read() as uow:
            return [item.track.id for item in await load_visible_ids(uow, viewer, ids, now)]

    async def _ensure_visible(self, viewer: Viewer, track_id: int, token: str | None) -> Loaded:
        now = self._deps.clock()
        tokens = {track_id: token} if token else None
        async with self._deps.db.read() as uow:
            found = await load_visible_ids(uow, viewer, [track_id], now, tokens)
        if not found:
            raise NotFound(NOT_FOUND)
        return found[0]

    async def _people(
        self, viewer: Viewer, track_id: int, cursor: str | None, limit: int | None, which: str
    ) -> VasPage[UserRef]:
        await self._ensure_visible(viewer, track_id, None)

        async def fetch(uow: UnitOfWork, key: Key | None, n: int) -> Page[EdgeRecord]:
            edges = uow.social.track_likes if which == "likers" else uow.social.track_reposts
            return await edges.to_target(track_id, key, n)

        async def refs(_: UnitOfWork, found: list[EdgeRecord]) -> list[UserRef]:
            return [UserRef(user_id=e.user_id, at=e.created_at) for e in found]

        scope = f"tracks:{which}:{track_id}"
        return await listing(self._deps, scope, cursor, limit, fetch, everything, refs)

    async def _records_page(
        self,
        viewer: Viewer,
        mask: FieldMask,
        scope: str,
        cursor: str | None,
        limit: int | None,
        fetch: Callable[[UnitOfWork, Key | None, int], Awaitable[Page[TrackRecord]]],
        access_levels: frozenset[str] | None = None,
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

    async def _edges_page(
        self,
        viewer: Viewer,
        mask: FieldMask,
        scope: str,
        cursor: str | None,
        limit: int | None,
        fetch: Callable[[UnitOfWork, Key | None, int], Awaitable[Page[EdgeRecord]]],
    ) -> VasPage[Track]:
        validate(mask)
        now = self._deps.clock()

        async def keep(uow: UnitOfWork, edges: list[EdgeRecord]) -> list[Loaded]:
            return await load_visible_ids(uow, viewer, [e.target_id for e in edges], now)

        async def finish(uow: UnitOfWork, found: list[Loaded]) -> list[Track]:
            return await assemble(uow, viewer, found, mask, now)

        return await listing(self._deps, scope, cursor, limit, fetch, keep, finish)


def _year(field: str, year: int | None) -> int | None:
    if year is not None and not 1 <= year <= 9998:
        raise InvalidArgument(f"{field} must be a year between 1 and 9998", field=field)
    return year


def _size(field: str, size: int) -> int:
    if not 1 <= size <= MAX_SAMPLE:
        raise InvalidArgument(f"{field} must be between 1 and {MAX_SAMPLE}", field=field)
    return size


async def _ids(_uow: UnitOfWork, ids: list[int]) -> list[int]:
    return ids


def _comment(c: CommentRecord) -> Comment:
    return Comment(c.id, c.track_id, c.user_id, c.body, c.timestamp_ms, c.created_at)
