"""A managing app's upload through the media pipeline, recorded in the partner audit trail."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import msgspec

from app.value_added.access import Viewer
from app.value_added.common.deps import Deps
from app.value_added.common.errors import Unavailable
from app.value_added.creator import audit as trail
from app.value_added.creator.audit import AuditContext
from app.value_added.creator.requests import TrackDraft


class CreatorAuditedUploads:
    """Partner writes that involve media files: an audited upload and an audited delete."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    @property
    def uploads_available(self) -> bool:
        return callable(getattr(self, "upload_track", None))

    async def upload_audited(
        self,
        viewer: Viewer,
        owner_id: int,
        draft: TrackDraft,
        chunks: AsyncIterator[bytes],
        filename: str,
        content_type: str,
        *,
        audit: AuditContext | None = None,
    ) -> Any:
        """Upload a new track for `owner_id`, audited as one `upload` entry.

        When the pipeline creates the track through `create_track`, the entry is written in that
        unit of work; otherwise it is appended right after the pipeline's own (a crash in between
        would lose the entry, never the upload).
        """
        upload = getattr(self, "upload_track", None)
        if not callable(upload):
            raise Unavailable("track uploads are not available yet", reason="upload_unavailable")
        with trail.ambient(audit, "upload") as state:
            track = await upload(viewer, owner_id, draft, chunks, filename, content_type)
        entity_id = getattr(track, "id", None)
        if isinstance(entity_id, int) and not state.recorded:
            snapshot = track if isinstance(track, msgspec.Struct) else None
            async with self._deps.db.write() as uow:
                await trail.record(
                    uow,
                    viewer,
                    audit,
                    creator_id=owner_id,
                    kind=trail.TRACK,
                    entity_id=entity_id,
                    action="upload",
                    old=None,
                    new=snapshot,
                )
        return track

    async def delete_audited(
        self, viewer: Viewer, track_id: int, *, audit: AuditContext | None = None
    ) -> None:
        """Delete the track (audited in its transaction), then its stored media files (queued
        in that transaction, deleted now when the store is reachable)."""
        delete_track = getattr(self, "delete_track", None)
        assert callable(delete_track)
        keys = await delete_track(viewer, track_id, audit=audit)
        media = getattr(self, "_media", None)
        if keys and media is not None:
            await media.deletions.run_due()
