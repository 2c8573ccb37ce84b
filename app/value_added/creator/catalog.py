"""A managing app's reads of the catalogs it manages: creators, tracks by id or ISRC, playlists.

Outside the creators who granted the app (or the signed-in owner's own catalog) nothing exists:
every miss is NotFound, so a partner cannot tell an unmanaged creator or track from a missing one.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.foundation.query import in_request_order
from app.foundation.unit_of_work import UnitOfWork
from app.value_added import access
from app.value_added.access import Viewer
from app.value_added.common.cursor import Page, clamp_limit
from app.value_added.common.deps import Deps
from app.value_added.common.errors import InvalidArgument, NotFound
from app.value_added.creator import checks
from app.value_added.creator.aggregates import CreatorPlaylist, CreatorTrack
from app.value_added.creator.guards import PLAYLIST_NOT_FOUND, TRACK_NOT_FOUND
from app.value_added.creator.validation import SET_TYPES

MAX_BATCH = 200
USER_NOT_FOUND = "user not found"


def _batch(field: str, values: Sequence[object]) -> None:
    if len(values) > MAX_BATCH:
        raise InvalidArgument(
            f"{field} may name at most {MAX_BATCH} items; got {len(values)}",
            reason="too_many_ids",
            field=field,
        )


async def _managed_tracks(
    uow: UnitOfWork, viewer: Viewer, ids: Sequence[int]
) -> list[CreatorTrack]:
    tracks = [t for t in await uow.tracks.get_many(ids) if access.can_edit_track(viewer, t.user_id)]
    policies = {p.track_id: p for p in await uow.policies.get_many([t.id for t in tracks])}
    found = [CreatorTrack.of(t, policies[t.id]) for t in tracks if t.id in policies]
    return in_request_order(found, ids)


class CreatorCatalog:
    """Reads of managed catalogs (the write side is the track and playlist commands)."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    def managed_creator_ids(self, viewer: Viewer) -> list[int]:
        """The creators who granted the viewer's app management of their catalog."""
        return sorted(viewer.managed_user_ids) if viewer.app_id is not None else []

    def require_catalog(self, viewer: Viewer, owner_id: int) -> None:
        """NotFound unless the viewer may manage `owner_id`'s catalog (no existence leak)."""
        if not access.can_edit_track(viewer, owner_id):
            raise NotFound(USER_NOT_FOUND)

    async def catalog_track(self, viewer: Viewer, track_id: int) -> CreatorTrack:
        found = await self.catalog_tracks(viewer, [track_id])
        if not found:
            raise NotFound(TRACK_NOT_FOUND)
        return found[0]

    async def catalog_tracks(self, viewer: Viewer, ids: Sequence[int]) -> list[CreatorTrack]:
        """Managed tracks by id (at most 200), in request order; others are left out."""
        _batch("ids", ids)
        async with self._deps.db.read() as uow:
            return await _managed_tracks(uow, viewer, ids)

    async def catalog_tracks_by_isrc(
        self, viewer: Viewer, isrcs: Sequence[str]
    ) -> list[CreatorTrack]:
        """Managed tracks by ISRC (at most 200 codes), in the order of the codes asked for.

        An ISRC may be shared by several tracks (re-releases): all managed ones are returned,
        oldest first within one code.
        """
        _batch("isrc", isrcs)
        codes = [checks.isrc("isrc", code.strip().upper()) for code in isrcs]
        async with self._deps.db.read() as uow:
            records = sorted(await uow.tracks.by_isrc(codes), key=lambda t: t.id)
            found = await _managed_tracks(uow, viewer, [t.id for t in records])
        by_code: dict[str, list[CreatorTrack]] = {}
        for track in found:
            by_code.setdefault(track.isrc or "", []).append(track)
        return [track for code in dict.fromkeys(codes) for track in by_code.get(code, [])]

    async def catalog_playlists(
        self,
        viewer: Viewer,
        owner_id: int,
        set_type: str | None = None,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> Page[CreatorPlaylist]:
        """The creator's playlists (or only one set_type, e.g. albums), newest first."""
        self.require_catalog(viewer, owner_id)
        if set_type is not None:
            checks.one_of(SET_TYPES)("set_type", set_type)
        size = clamp_limit(limit)
        scope = f"creator.playlists:{owner_id}:{set_type or ''}"
        after = self._deps.cursors.decode(scope, cursor)
        async with self._deps.db.read() as uow:
            page = await uow.playlists.by_user(owner_id, after, size, set_type)
        return Page(
            items=[CreatorPlaylist.of(p) for p in page.items],
            next_cursor=self._deps.cursors.encode(scope, page.next_key),
        )

    async def catalog_playlist(self, viewer: Viewer, playlist_id: int) -> CreatorPlaylist:
        async with self._deps.db.read() as uow:
            playlist = await uow.playlists.get(playlist_id)
        if playlist is None or not access.can_edit_playlist(viewer, playlist):
            raise NotFound(PLAYLIST_NOT_FOUND)
        return CreatorPlaylist.of(playlist)
