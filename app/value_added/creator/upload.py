"""Creator uploads: stream the audio to storage, probe it, check the plan quota, create the track
with a media row in state `processing` and queue its transcoding; delete tracks with their files."""

from __future__ import annotations

from collections.abc import AsyncIterable
from pathlib import PurePath
from typing import Protocol, cast

import msgspec

from app.value_added.access import Viewer
from app.value_added.common.deps import Deps
from app.value_added.common.errors import Unavailable
from app.value_added.creator.aggregates import CreatorTrack
from app.value_added.creator.guards import require_actor
from app.value_added.creator.requests import TrackDraft
from app.value_added.media import MediaService, Probe


class _TrackCommands(Protocol):
    """What CreatorService (the class this is mixed into) provides."""

    async def create_track(
        self, viewer: Viewer, owner_id: int, draft: TrackDraft
    ) -> CreatorTrack: ...

    async def delete_track(self, viewer: Viewer, track_id: int) -> list[str]: ...


def _with_probe(draft: TrackDraft, found: Probe, filename: str) -> TrackDraft:
    """The draft with the real duration; an empty title or genre comes from the file's tags."""
    title = draft.title.strip() or found.tags.get("title") or PurePath(filename).stem or "Untitled"
    genre = draft.genre or found.tags.get("genre", "")[:100]
    return msgspec.structs.replace(
        draft, title=title[:255], genre=genre, duration_ms=found.duration_ms
    )


class CreatorUploads:
    """Upload-side commands that need the media service (mixed into CreatorService, which
    provides create_track/delete_track)."""

    _deps: Deps
    _media: MediaService | None = None

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
    ) -> CreatorTrack:
        """Create a track from an uploaded audio file (the body is streamed, never held whole).

        Too large ⇒ PayloadTooLarge; not audio ⇒ UnsupportedMediaType; undecodable ⇒
        Unprocessable; over the plan's quota ⇒ ResourceExhausted(`upload_quota_exceeded`).
        `content_type` is the client's claim and is not trusted: the file is probed by decoding.
        On any failure nothing stays stored.
        """
        media = self.media()
        require_actor(viewer, owner_id)
        staged = await media.stage(chunks)
        try:
            found = await media.probe(staged)
            async with self._deps.db.read() as uow:
                await media.check_quota(uow, owner_id, found.duration_ms)
            key = await media.keep(staged)
        finally:
            staged.discard()
        try:
            track = await cast(_TrackCommands, self).create_track(
                viewer, owner_id, _with_probe(draft, found, filename)
            )
        except BaseException:
            await media.delete_objects([key])
            raise
        try:
            async with self._deps.db.write() as uow:
                await media.check_quota(uow, owner_id, found.duration_ms)
                await media.register(uow, track.id, key, found, staged.size, filename)
        except BaseException:
            await cast(_TrackCommands, self).delete_track(viewer, track.id)
            await media.delete_objects([key])
            raise
        media.wake()
        return track

    async def delete_track_and_media(self, viewer: Viewer, track_id: int) -> None:
        """Delete the track (as delete_track) and its stored files at once (when the store is
        reachable; otherwise a media worker retries)."""
        await cast(_TrackCommands, self).delete_track(viewer, track_id)
        await self.media().deletions.run_due()
