"""Stream grants: signed, short-lived URLs to a track's transcodings, per the access policy."""

from __future__ import annotations

import datetime as dt

from app.foundation.media.records import MediaRecord, TranscodingRecord
from app.foundation.unit_of_work import UnitOfWork
from app.value_added import access
from app.value_added.access import Viewer
from app.value_added.catalog import visible_track
from app.value_added.common.deps import Deps
from app.value_added.media import RENDITIONS, StreamGrant
from app.value_added.media.formats import WAVEFORM_KIND
from app.value_added.media.urls import STREAM_TTL, signed_path

_BY_KIND = {r.kind: r for r in RENDITIONS}
_EXT = {"progressive": "mp3", "hls": "m3u8"}


class TrackStreams:
    """Read side of playback: which URLs a viewer may play (a range request is not a play)."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def streams(
        self, viewer: Viewer, track_id: int, secret_token: str | None = None
    ) -> list[StreamGrant]:
        """Full renditions when 'playable', only the 30 s preview when 'preview'; 'blocked' ⇒
        PermissionDenied(blocked); invisible ⇒ NotFound; media not finished ⇒ []."""
        now = self._deps.clock()
        async with self._deps.db.read() as uow:
            track, policy = await visible_track(uow, viewer, track_id, now, secret_token)
            level = access.require_reachable(viewer, track.user_id, policy, now)
            _, transcodings = await self._finished_media(uow, track_id)
        expires = self._deps.clock() + STREAM_TTL
        want_preview = level == "preview"
        return [
            self._grant(t, expires)
            for t in transcodings
            if t.kind in _BY_KIND and _BY_KIND[t.kind].preview == want_preview
        ]

    async def waveform_url(
        self, track_id: int, viewer: Viewer | None = None, secret_token: str | None = None
    ) -> str | None:
        """A signed URL of the waveform JSON ({width, height, samples}); None until processed.
        Visibility is checked for `viewer` (anonymous when None); blocked tracks have one too."""
        who = viewer or Viewer.anonymous()
        now = self._deps.clock()
        async with self._deps.db.read() as uow:
            await visible_track(uow, who, track_id, now, secret_token)
            _, transcodings = await self._finished_media(uow, track_id)
        for t in transcodings:
            if t.kind == WAVEFORM_KIND:
                return signed_path(
                    self._deps.grants, t.storage_key, "json", now + STREAM_TTL, "waveform"
                )
        return None

    @staticmethod
    async def _finished_media(
        uow: UnitOfWork, track_id: int
    ) -> tuple[MediaRecord | None, list[TranscodingRecord]]:
        media = await uow.media.for_tracks([track_id])
        if not media or media[0].status != "finished":
            return None, []
        return media[0], await uow.media.transcodings_of([media[0].id])

    def _grant(self, t: TranscodingRecord, expires: dt.datetime) -> StreamGrant:
        rendition = _BY_KIND[t.kind]
        ext = _EXT[rendition.protocol]
        name = "playlist" if rendition.protocol == "hls" else "stream"
        return StreamGrant(
            kind=rendition.protocol,
            format=rendition.format,
            mime_type=rendition.mime_type,
            url=signed_path(self._deps.grants, t.storage_key, ext, expires, name),
            expires_at=expires,
            preview=rendition.preview,
            duration_ms=t.duration_ms,
        )
