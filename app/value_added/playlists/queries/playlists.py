"""Playlists VAS queries: one, many, resolve, a user's playlists, search, those holding a track."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from app.foundation.playlists.records import PlaylistRecord
from app.foundation.query import Key, Page
from app.foundation.social.repository import Edges
from app.foundation.unit_of_work import UnitOfWork
from app.value_added import access
from app.value_added.access import Viewer
from app.value_added.catalog import resolve_permalinks
from app.value_added.common.cursor import Page as VasPage
from app.value_added.common.deps import Deps
from app.value_added.common.edges import EdgeLists, Which
from app.value_added.common.fieldmask import FieldMask
from app.value_added.common.paging import listing
from app.value_added.playlists.aggregates import PLAYLIST_PATHS, Playlist
from app.value_added.playlists.loading import PlaylistAssembler, visible
from app.value_added.tracks import TracksService

Fetch = Callable[[UnitOfWork, Key | None, int], Awaitable[Page[PlaylistRecord]]]


def _validate(mask: FieldMask) -> FieldMask:
    return mask.validate(PLAYLIST_PATHS, "playlist")


def playlist_edges(
    deps: Deps, tracks: TracksService
) -> EdgeLists[Viewer, PlaylistRecord, Playlist]:
    """What a user liked or reposted, and who liked or reposted a playlist."""
    assembler = PlaylistAssembler(tracks)

    def edges(uow: UnitOfWork, which: Which) -> Edges:
        return uow.social.playlist_likes if which == "likes" else uow.social.playlist_reposts

    async def keep(viewer: Viewer, uow: UnitOfWork, ids: list[int]) -> list[PlaylistRecord]:
        return visible(viewer, await uow.playlists.get_many(ids))

    async def finish(
        viewer: Viewer, mask: FieldMask, uow: UnitOfWork, found: list[PlaylistRecord]
    ) -> list[Playlist]:
        return await assembler.assemble(uow, viewer, found, mask, deps.clock())

    async def require_visible(viewer: Viewer, playlist_id: int) -> None:
        async with deps.db.read() as uow:
            record = await uow.playlists.get(playlist_id)
        if record is None or not access.playlist_visible(viewer, record):
            raise access.not_found("playlist")

    return EdgeLists(deps, "playlists", edges, keep, finish, _validate, require_visible)


class PlaylistQueries:
    """Every result is filtered per viewer: hidden playlists are missing, and so are the tracks
    inside that the viewer may not see (asked of the Tracks VAS)."""

    def __init__(self, deps: Deps, tracks: TracksService) -> None:
        self._deps = deps
        self._tracks = tracks
        self._assembler = PlaylistAssembler(tracks)

    async def get(
        self, viewer: Viewer, playlist_id: int, mask: FieldMask, secret_token: str | None = None
    ) -> Playlist:
        _validate(mask)
        async with self._deps.db.read() as uow:
            record = await uow.playlists.get(playlist_id)
            tokens = {playlist_id: secret_token} if secret_token else None
            if record is None or not visible(viewer, [record], tokens):
                raise access.not_found("playlist")
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
            playlist_id = await resolve_permalinks(uow, "playlist", user_permalink, permalink)
        return await self.get(viewer, playlist_id, mask, secret_token)

    async def by_user(
        self,
        viewer: Viewer,
        user_id: int,
        mask: FieldMask,
        cursor: str | None,
        limit: int | None,
        set_type: str | None = None,
    ) -> VasPage[Playlist]:
        def fetch(uow: UnitOfWork, key: Key | None, n: int) -> Awaitable[Page[PlaylistRecord]]:
            return uow.playlists.by_user(user_id, key, n, set_type)

        scope = f"playlists:user:{user_id}:{set_type}"
        return await self._page(viewer, mask, scope, cursor, limit, fetch)

    async def search(
        self,
        viewer: Viewer,
        text: str | None,
        mask: FieldMask,
        cursor: str | None,
        limit: int | None,
        set_type: str | None = None,
    ) -> VasPage[Playlist]:
        def fetch(uow: UnitOfWork, key: Key | None, n: int) -> Awaitable[Page[PlaylistRecord]]:
            return uow.playlists.search(text, key, n, set_type)

        scope = f"playlists:search:{set_type}"
        return await self._page(viewer, mask, scope, cursor, limit, fetch)

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
            raise access.not_found("track")

        def fetch(uow: UnitOfWork, key: Key | None, n: int) -> Awaitable[Page[PlaylistRecord]]:
            return uow.playlists.containing_track(track_id, key, n, set_type)

        scope = f"playlists:track:{track_id}:{set_type}"
        return await self._page(viewer, mask, scope, cursor, limit, fetch)

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
        fetch: Fetch,
    ) -> VasPage[Playlist]:
        _validate(mask)

        async def keep(_: UnitOfWork, records: list[PlaylistRecord]) -> list[PlaylistRecord]:
            return visible(viewer, records)

        finish = self._finish(viewer, mask)
        return await listing(self._deps, scope, cursor, limit, fetch, keep, finish)
