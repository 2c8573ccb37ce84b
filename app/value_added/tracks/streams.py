"""Stream grants: signed, short-lived URLs to a track's transcodings, per the access policy."""

from __future__ import annotations

import datetime as dt

from app.foundation.media.records import MediaRecord, TranscodingRecord
from app.value_added import access
from app.value_added.access import Viewer
from app.value_added.common.deps import Deps
from app.value_added.common.errors import NotFound, PermissionDenied
from app.value_added.media import RENDITIONS, StreamGrant
from app.value_added.media.formats import WAVEFORM_KIND
from app.value_added.media.urls import STREAM_TTL, signed_path
from app.value_added.tracks.loading import load_visible_ids

_BY_KIND = {r.kind: r for r in RENDITIONS}
_EXT = {"progressive": "mp3", "hls": "m3u8"}


class TrackStreams:
    """Read side of playback: which URLs a viewer may play (a range request is not a play)."""

    _deps: Deps

    async def _finished_media(
        self, viewer: Viewer, track_id: int, secret_token: str | None
    ) -> tuple[str, MediaRecord | None, list[TranscodingRecord]]:
        now = self._deps.clock()
        tokens = {track_id: secret_token} if secret_token else None
        async with self._deps.db.read() as uow:
            found = await load_visible_ids(uow, viewer, [track_id], now, tokens)
            if not found:
                raise NotFound("track not found")
            track, policy = found[0]
            level = access.track_access(viewer, track.user_id, policy, now)
            if level == "blocked":
                raise PermissionDenied("this track is not available here", reason="blocked")
            media = await uow.media.for_tracks([track_id])
            if not media or media[0].status != "finished":
                return level, None, []
            return level, media[0], await uow.media.transcodings_of([media[0].id])

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

    async def streams(
        self, viewer: Viewer, track_id: int, secret_token: str | None = None
    ) -> list[StreamGrant]:
        """Full renditions when 'playable', only the 30 s preview when 'preview'; 'blocked' ⇒
        PermissionDenied(blocked); invisible ⇒ NotFound; media not finished ⇒ []."""
        level, _, transcodings = await self._finished_media(viewer, track_id, secret_token)
        expires = self._deps.clock() + STREAM_TTL
        want_preview = level == "preview"
        return [
            self._grant(t, expires)
            for t in transcodings
            if t.kind in _BY_KIND and _BY_KIND[t.kind].preview == want_preview
        ]

    async def preview_url(
        self, viewer: Viewer, track_id: int, secret_token: str | None = None
    ) -> StreamGrant | None:
        """The 30-second preview (for anyone who may at least preview); None until processed."""
        _, _, transcodings = await self._finished_media(viewer, track_id, secret_token)
        expires = self._deps.clock() + STREAM_TTL
        for t in transcodings:
            if t.kind in _BY_KIND and _BY_KIND[t.kind].preview:
                return self._grant(t, expires)
        return None

    async def waveform_url(
        self, track_id: int, viewer: Viewer | None = None, secret_token: str | None = None
    ) -> str | None:
        """A signed URL of the waveform JSON ({width, height, samples}); None until processed.
        Visibility is checked for `viewer` (anonymous when None); blocked tracks have one too."""
        who = viewer or Viewer.anonymous()
        now = self._deps.clock()
        tokens = {track_id: secret_token} if secret_token else None
        async with self._deps.db.read() as uow:
            if not await load_visible_ids(uow, who, [track_id], now, tokens):
                raise NotFound("track not found")
            media = await uow.media.for_tracks([track_id])
            if not media or media[0].status != "finished":
                return None
            transcodings = await uow.media.transcodings_of([media[0].id])
        for t in transcodings:
            if t.kind == WAVEFORM_KIND:
                return signed_path(
                    self._deps.grants, t.storage_key, "json", now + STREAM_TTL, "waveform"
                )
        return None
