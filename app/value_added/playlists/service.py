"""The Playlists VAS: playlist queries and commands; asks the Tracks VAS about tracks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence

import msgspec

from app.foundation.playlists.records import PlaylistRecord
from app.foundation.query import Key, Page
from app.foundation.social.records import EdgeRecord
from app.foundation.unit_of_work import UnitOfWork
from app.value_added import access
from app.value_added.access import Viewer
from app.value_added.common.cursor import Page as VasPage
from app.value_added.common.deps import Deps
from app.value_added.common.errors import NotFound, Unauthenticated
from app.value_added.common.fieldmask import FieldMask
from app.value_added.common.paging import everything, listing
from app.value_added.common.text import new_secret_token, slugify
from app.value_added.playlists.aggregates import (
    PLAYLIST_PATHS,
    Playlist,
    PlaylistChanges,
    PlaylistDraft,
)
from app.value_added.playlists.entries import PlaylistEntries
from app.value_added.playlists.loading import PlaylistAssembler, visible
from app.value_added.playlists.queries import AlbumQueries
from app.value_added.playlists.validation import check_fields
from app.value_added.tracks import TracksService, UserRef

NOT_FOUND = "playlist not found"


def _validate(mask: FieldMask) -> FieldMask:
    return mask.validate(PLAYLIST_PATHS, "playlist")


class PlaylistsService(PlaylistEntries):
    """Queries filter playlists (and the tracks inside) per viewer; commands re-check access.
    `albums` answers about releases (albums and each artist's singles)."""

    def __init__(self, deps: Deps, tracks: TracksService) -> None:
        super().__init__(deps, tracks)
        self._assembler = PlaylistAssembler(tracks)
        self.albums = AlbumQueries(deps, tracks)

    async def liked_at(self, viewer: Viewer, playlist_ids: Sequence[int]) -> dict[int, dt.datetime]:
        """When the viewer liked each of `playlist_ids` they like."""
        if viewer.user_id is None or not playlist_ids:
            return {}
        async with self._deps.db.read() as uow:
            return await uow.social.playlist_likes.since(viewer.user_id, playlist_ids)

    async def get(
        self, viewer: Viewer, playlist_id: int, mask: FieldMask, secret_token: str | None = None
    ) -> Playlist:
        _validate(mask)
        async with self._deps.db.read() as uow:
            record = await uow.playlists.get(playlist_id)
            tokens = {playlist_id: secret_token} if secret_token else None
            if record is None or not visible(viewer, [record], tokens):
                raise NotFound(NOT_FOUND)
            found = await self._assembler.assemble(uow, viewer, [record], mask, self._deps.clock())
        return found[0]

    async def get_many(self, viewer: Viewer, ids: Sequence[int], mask: FieldMask) -> list[Playlist]:
        _validate(mask)
        async with self._deps.db.read() as uow:
            records = visible(viewer, await uow.playlists.get_many(ids))
            return await self._assembler.assemble(uow, viewer, records, mask, self._deps.clock())

    async def resolve(
        self,
        viewer: Viewer,
        user_permalink: str,
        permalink: str,
        mask: FieldMask,
        secret_token: str | None = None,
    ) -> Playlist:
        async with self._deps.db.read() as uow:
            owner = await uow.users.by_permalink(user_permalink)
            record = owner and await uow.playlists.by_permalink(owner.id, permalink)
        if not record:
            raise NotFound(NOT_FOUND)
        return await self.get(viewer, record.id, mask, secret_token)

    async def by_user(
        self,
        viewer: Viewer,
        user_id: int,
        mask: FieldMask,
        cursor: str | None,
        limit: int | None,
        set_type: str | None = None,
    ) -> VasPage[Playlist]:
        return await self._page(
            viewer,
            mask,
            f"playlists:user:{user_id}:{set_type}",
            cursor,
            limit,
            lambda uow, k, n: uow.playlists.by_user(user_id, k, n, set_type),
        )

    async def search(
        self,
        viewer: Viewer,
        text: str | None,
        mask: FieldMask,
        cursor: str | None,
        limit: int | None,
        set_type: str | None = None,
    ) -> VasPage[Playlist]:
        return await self._page(
            viewer,
            mask,
            f"playlists:search:{set_type}",
            cursor,
            limit,
            lambda uow, k, n: uow.playlists.search(text, k, n, set_type),
        )

    async def containing_track(
        self,
        viewer: Viewer,
        track_id: int,
        mask: FieldMask,
        cursor: str | None,
        limit: int | None,
        set_type: str | None = None,
    ) -> VasPage[Playlist]:
        if not await self._tracks.visible_ids(viewer, [track_id]):
            raise NotFound("track not found")
        return await self._page(
            viewer,
            mask,
            f"playlists:track:{track_id}:{set_type}",
            cursor,
            limit,
            lambda uow, k, n: uow.playlists.containing_track(track_id, k, n, set_type),
        )

    async def liked_by(
        self, viewer: Viewer, user_id: int, mask: FieldMask, cursor: str | None, limit: int | None
    ) -> VasPage[Playlist]:
        return await self._edge_page(
            viewer,
            mask,
            f"playlists:liked:{user_id}",
            cursor,
            limit,
            lambda uow, k, n: uow.social.playlist_likes.of_user(user_id, k, n),
        )

    async def reposted_by(
        self, viewer: Viewer, user_id: int, mask: FieldMask, cursor: str | None, limit: int | None
    ) -> VasPage[Playlist]:
        return await self._edge_page(
            viewer,
            mask,
            f"playlists:reposted:{user_id}",
            cursor,
            limit,
            lambda uow, k, n: uow.social.playlist_reposts.of_user(user_id, k, n),
        )

    async def likers(
        self, viewer: Viewer, playlist_id: int, cursor: str | None, limit: int | None
    ) -> VasPage[UserRef]:
        return await self._people(viewer, playlist_id, cursor, limit, "likers")

    async def reposters(
        self, viewer: Viewer, playlist_id: int, cursor: str | None, limit: int | None
    ) -> VasPage[UserRef]:
        return await self._people(viewer, playlist_id, cursor, limit, "reposters")

    async def create(self, viewer: Viewer, draft: PlaylistDraft) -> Playlist:
        if viewer.user_id is None:
            raise Unauthenticated(
                "creating a playlist needs a signed-in user", reason="user_required"
            )
        values = check_fields(msgspec.structs.asdict(draft))
        track_ids = list(values.pop("track_ids", ()))
        await self._check_tracks(viewer, track_ids)
        async with self._deps.db.write() as uow:
            values["permalink"] = await self._free_permalink(uow, viewer.user_id, values["title"])
            record = await uow.playlists.create(viewer.user_id, new_secret_token(), values)
            await uow.counters.playlists.ensure(record.id)
            await uow.counters.users.add(viewer.user_id, playlists=1)
            await self._append(uow, record.id, track_ids)
        return await self.get(viewer, record.id, FieldMask.all())

    async def update(self, viewer: Viewer, playlist_id: int, changes: PlaylistChanges) -> Playlist:
        values = check_fields(msgspec.structs.asdict(changes))
        async with self._deps.db.write() as uow:
            record = await self._editable(uow, viewer, playlist_id)
            if "title" in values and values["title"] != record.title:
                values["permalink"] = await self._free_permalink(
                    uow, record.user_id, values["title"]
                )
            await uow.playlists.update(playlist_id, values)
        return await self.get(viewer, playlist_id, FieldMask.all())

    async def delete(self, viewer: Viewer, playlist_id: int) -> None:
        async with self._deps.db.write() as uow:
            record = await self._editable(uow, viewer, playlist_id)
            likers = await uow.social.playlist_likes.all_users(playlist_id)
            reposters = await uow.social.playlist_reposts.all_users(playlist_id)
            await uow.playlists.delete(playlist_id)
            await uow.counters.users.add(record.user_id, playlists=-1)
            for user_id in likers:
                await uow.counters.users.add(user_id, playlist_likes=-1)
            for user_id in reposters:
                await uow.counters.users.add(user_id, reposts=-1)

    async def _free_permalink(self, uow: UnitOfWork, user_id: int, title: str) -> str:
        base = slugify(title)
        candidate, n = base, 1
        while await uow.playlists.permalink_taken(user_id, candidate):
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    async def _people(
        self, viewer: Viewer, playlist_id: int, cursor: str | None, limit: int | None, which: str
    ) -> VasPage[UserRef]:
        async with self._deps.db.read() as uow:
            record = await uow.playlists.get(playlist_id)
        if record is None or not access.playlist_visible(viewer, record):
            raise NotFound(NOT_FOUND)

        async def fetch(uow: UnitOfWork, key: Key | None, n: int) -> Page[EdgeRecord]:
            social = uow.social
            edges = social.playlist_likes if which == "likers" else social.playlist_reposts
            return await edges.to_target(playlist_id, key, n)

        async def refs(_: UnitOfWork, found: list[EdgeRecord]) -> list[UserRef]:
            return [UserRef(user_id=e.user_id, at=e.created_at) for e in found]

        scope = f"playlists:{which}:{playlist_id}"
        return await listing(self._deps, scope, cursor, limit, fetch, everything, refs)

    def _finish(
        self, viewer: Viewer, mask: FieldMask
    ) -> Callable[[UnitOfWork, list[PlaylistRecord]], Awaitable[list[Playlist]]]:
        async def finish(uow: UnitOfWork, found: list[PlaylistRecord]) -> list[Playlist]:
            return await self._assembler.assemble(uow, viewer, found, mask, self._deps.clock())

        return finish

    async def _page(
        self,
        viewer: Viewer,
        mask: FieldMask,
        scope: str,
        cursor: str | None,
        limit: int | None,
        fetch: Callable[[UnitOfWork, Key | None, int], Awaitable[Page[PlaylistRecord]]],
    ) -> VasPage[Playlist]:
        _validate(mask)

        async def keep(_: UnitOfWork, records: list[PlaylistRecord]) -> list[PlaylistRecord]:
            return visible(viewer, records)

        finish = self._finish(viewer, mask)
        return await listing(self._deps, scope, cursor, limit, fetch, keep, finish)

    async def _edge_page(
        self,
        viewer: Viewer,
        mask: FieldMask,
        scope: str,
        cursor: str | None,
        limit: int | None,
        fetch: Callable[[UnitOfWork, Key | None, int], Awaitable[Page[EdgeRecord]]],
    ) -> VasPage[Playlist]:
        _validate(mask)

        async def keep(uow: UnitOfWork, edges: list[EdgeRecord]) -> list[PlaylistRecord]:
            return visible(viewer, await uow.playlists.get_many([e.target_id for e in edges]))

        finish = self._finish(viewer, mask)
        return await listing(self._deps, scope, cursor, limit, fetch, keep, finish)
