"""The Creator gateway's own commands: uploads, deletes with their files, and artwork — each
around the catalog's track and playlist commands, never instead of them."""

from __future__ import annotations

from collections.abc import AsyncIterable
from pathlib import PurePath

import msgspec

from app.foundation.unit_of_work import UnitOfWork
from app.value_added import access
from app.value_added.access import Viewer
from app.value_added.catalog import (
    AuditContext,
    CatalogService,
    CreatorPlaylist,
    CreatorTrack,
    TrackDraft,
    editable_playlist,
    editable_track,
)
from app.value_added.common.deps import Deps
from app.value_added.common.errors import Unavailable
from app.value_added.media import MediaService, Probe


def _with_probe(draft: TrackDraft, found: Probe, filename: str) -> TrackDraft:
    """The draft with the real duration; an empty title or genre comes from the file's tags."""
    title = draft.title.strip() or found.tags.get("title") or PurePath(filename).stem or "Untitled"
    genre = draft.genre or found.tags.get("genre", "")[:100]
    return msgspec.structs.replace(
        draft, title=title[:255], genre=genre, duration_ms=found.duration_ms
    )


class MediaCommands:
    """Creator commands that store or remove files through the media service."""

    def __init__(self, deps: Deps, catalog: CatalogService, media: MediaService | None) -> None:
        self._deps = deps
        self._tracks = catalog.tracks
        self._media = media

    def media(self) -> MediaService:
        if self._media is None:
            raise Unavailable("media storage is not configured", reason="media_unavailable")
        return self._media

    async def upload_track(
        self,
        viewer: Viewer,
        owner_id: int,
        draft: TrackDraft,
        chunks: AsyncIterable[bytes],
        filename: str,
        content_type: str | None = None,
        *,
        audit: AuditContext | None = None,
    ) -> CreatorTrack:
        """Create a track from an uploaded audio file (the body is streamed, never held whole);
        a managing app's upload is one `upload` entry of the audit trail.

        Too large ⇒ PayloadTooLarge; not audio ⇒ UnsupportedMediaType; undecodable ⇒
        Unprocessable; over the plan's quota ⇒ ResourceExhausted(`upload_quota_exceeded`).
        `content_type` is the client's claim and is not trusted: the file is probed by decoding.
        On any failure nothing stays stored.
        """
        media = self.media()
        access.require_acting_for(viewer, owner_id)
        staged = await media.stage(chunks)
        try:
            found = await media.probe(staged)
            async with self._deps.db.read() as uow:
                await media.check_quota(uow, owner_id, found.duration_ms)
            key = await media.keep(staged)
        finally:
            staged.discard()
        try:
            track = await self._tracks.create_uploaded(
                viewer, owner_id, _with_probe(draft, found, filename), audit=audit
            )
        except BaseException:
            await media.delete_objects([key])
            raise

        async def register(uow: UnitOfWork) -> None:
            await media.check_quota(uow, owner_id, found.duration_ms)
            await media.register(uow, track.id, key, found, staged.size, filename)

        try:
            await self._deps.db.transact(register)
        except BaseException:
            await self._tracks.delete(viewer, track.id, audit=audit)
            await media.delete_objects([key])
            raise
        media.wake()
        return track

    async def delete_track(
        self, viewer: Viewer, track_id: int, *, audit: AuditContext | None = None
    ) -> list[str]:
        """Delete the track (audited in its transaction, which also queues its stored media
        objects for deletion), then delete those objects now if the store answers (a media
        worker retries otherwise); returns their storage keys."""
        keys = await self._tracks.delete(viewer, track_id, audit=audit)
        if keys and self._media is not None:
            await self._media.deletions.run_due()
        return keys

    async def set_track_artwork(self, viewer: Viewer, track_id: int, image: bytes) -> CreatorTrack:
        """Images are stored first; the track then points at them; the old image is removed."""
        media = self.media()
        async with self._deps.db.read() as uow:  # check before the (CPU-bound) image work
            await editable_track(uow, viewer, track_id, self._deps.clock())
        key = await media.store_artwork(image)

        async def point(uow: UnitOfWork) -> tuple[str | None, CreatorTrack]:
            old, _ = await editable_track(uow, viewer, track_id, self._deps.clock())
            track = await uow.tracks.update(track_id, {"artwork_key": key})
            policy = await uow.policies.get(track_id)
            assert track is not None and policy is not None
            return old.artwork_key, CreatorTrack.of(track, policy)

        try:
            old_key, result = await self._deps.db.transact(point)
        except BaseException:
            await media.delete_artwork(key)
            raise
        await media.delete_artwork(old_key)
        return result

    async def set_playlist_artwork(
        self, viewer: Viewer, playlist_id: int, image: bytes
    ) -> CreatorPlaylist:
        """As set_track_artwork, for a playlist."""
        media = self.media()
        # check before the (CPU-bound) image work
        await self._deps.db.transact(lambda uow: editable_playlist(uow, viewer, playlist_id))
        key = await media.store_artwork(image)

        async def point(uow: UnitOfWork) -> tuple[str | None, CreatorPlaylist]:
            old = await editable_playlist(uow, viewer, playlist_id)
            playlist = await uow.playlists.update(playlist_id, {"artwork_key": key})
            assert playlist is not None
            return old.artwork_key, CreatorPlaylist.of(playlist)

        try:
            old_key, result = await self._deps.db.transact(point)
        except BaseException:
            await media.delete_artwork(key)
            raise
        await media.delete_artwork(old_key)
        return result

    async def set_avatar(self, viewer: Viewer, user_id: int, image: bytes) -> str:
        """Replace the user's avatar; returns the new artwork key (see media.artwork_url)."""
        media = self.media()
        access.require_acting_for(viewer, user_id)
        key = await media.store_artwork(image)

        async def point(uow: UnitOfWork) -> str | None:
            user = await uow.users.get(user_id)
            if user is None:
                raise access.not_found("user")
            await uow.users.update(user_id, {"avatar_key": key})
            return user.avatar_key

        try:
            old_key = await self._deps.db.transact(point)
        except BaseException:
            await media.delete_artwork(key)
            raise
        await media.delete_artwork(old_key)
        return key
