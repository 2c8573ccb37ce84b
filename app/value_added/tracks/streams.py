"""Stream and download grants: signed, short-lived URLs to a track's media per the access
policy, carrying who they were issued to — and the re-check of those claims, by the same policy,
each time a URL is used (a deleted, hidden or taken-down track stops playing at once)."""

from __future__ import annotations

import datetime as dt
import hmac

from app.foundation.media.records import MediaRecord, TranscodingRecord
from app.value_added import access
from app.value_added.access import Viewer
from app.value_added.common.deps import Deps
from app.value_added.common.errors import NotFound, PermissionDenied
from app.value_added.media import RENDITIONS, StreamGrant
from app.value_added.media import urls as media_urls
from app.value_added.media.formats import WAVEFORM_KIND
from app.value_added.media.urls import (
    STREAM_TTL,
    DownloadClaims,
    GrantedTo,
    MediaClaims,
    Need,
    SignedObject,
    VerifiedDownload,
    signed_path,
)
from app.value_added.tracks.loading import load_visible_ids

_BY_KIND = {r.kind: r for r in RENDITIONS}
_EXT = {"progressive": "mp3", "hls": "m3u8"}
NO_MEDIA = "no such media object"
NO_DOWNLOAD = "this track has no downloadable file"


class TrackStreams:
    """Playback grants: which URLs a viewer may play (a range request is not a play), and using
    them (re-checked each time; a download counted once per grant)."""

    _deps: Deps

    def _token_digest(self, secret_token: str | None) -> str:
        return self._deps.grants.digest(secret_token) if secret_token else ""

    async def _finished_media(
        self, viewer: Viewer, track_id: int, secret_token: str | None
    ) -> tuple[str, int, MediaRecord | None, list[TranscodingRecord]]:
        """(access level, owner id, finished media or None, its transcodings)."""
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
                return level, track.user_id, None, []
            transcodings = await uow.media.transcodings_of([media[0].id])
            return level, track.user_id, media[0], transcodings

    def _grant(
        self, t: TranscodingRecord, expires: dt.datetime, claims: MediaClaims
    ) -> StreamGrant:
        rendition = _BY_KIND[t.kind]
        ext = _EXT[rendition.protocol]
        name = "playlist" if rendition.protocol == "hls" else "stream"
        need: Need = "preview" if rendition.preview else "full"
        signed = signed_path(
            self._deps.grants, _for(claims, t.storage_key, ext, need), expires, name
        )
        return StreamGrant(
            kind=rendition.protocol,
            format=rendition.format,
            mime_type=rendition.mime_type,
            url=signed,
            expires_at=expires,
            preview=rendition.preview,
            duration_ms=t.duration_ms,
        )

    def _claims(
        self, viewer: Viewer, track_id: int, owner_id: int, secret_token: str | None
    ) -> MediaClaims:
        """Claims for `viewer` on the track; each URL fills in its object and what it needs."""
        to = GrantedTo.of(viewer, owner_id)
        return MediaClaims("", "", track_id, "visible", to, self._token_digest(secret_token))

    async def streams(
        self, viewer: Viewer, track_id: int, secret_token: str | None = None
    ) -> list[StreamGrant]:
        """Full renditions when 'playable', only the 30 s preview when 'preview'; 'blocked' ⇒
        PermissionDenied(blocked); invisible ⇒ NotFound; media not finished ⇒ []."""
        level, owner, _, transcodings = await self._finished_media(viewer, track_id, secret_token)
        expires = self._deps.clock() + STREAM_TTL
        want_preview = level == "preview"
        claims = self._claims(viewer, track_id, owner, secret_token)
        return [
            self._grant(t, expires, claims)
            for t in transcodings
            if t.kind in _BY_KIND and _BY_KIND[t.kind].preview == want_preview
        ]

    async def preview_url(
        self, viewer: Viewer, track_id: int, secret_token: str | None = None
    ) -> StreamGrant | None:
        """The 30-second preview (for anyone who may at least preview); None until processed."""
        _, owner, _, transcodings = await self._finished_media(viewer, track_id, secret_token)
        expires = self._deps.clock() + STREAM_TTL
        claims = self._claims(viewer, track_id, owner, secret_token)
        for t in transcodings:
            if t.kind in _BY_KIND and _BY_KIND[t.kind].preview:
                return self._grant(t, expires, claims)
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
            found = await load_visible_ids(uow, who, [track_id], now, tokens)
            if not found:
                raise NotFound("track not found")
            media = await uow.media.for_tracks([track_id])
            if not media or media[0].status != "finished":
                return None
            transcodings = await uow.media.transcodings_of([media[0].id])
        claims = self._claims(who, track_id, found[0].track.user_id, secret_token)
        for t in transcodings:
            if t.kind == WAVEFORM_KIND:
                wave = _for(claims, t.storage_key, "json", "visible")
                return signed_path(self._deps.grants, wave, now + STREAM_TTL, "waveform")
        return None

    # ------------------------------------------------------------------ using a grant

    async def authorize_media(self, token: str) -> SignedObject:
        """The object a signed media URL names, if its claims still hold: its track exists and
        the viewer it was issued to may still do what it grants. Tampered/expired ⇒
        PermissionDenied; track gone or hidden ⇒ NotFound (as for an unknown object); no
        longer playable for that viewer ⇒ PermissionDenied(blocked). Served from the record
        cache (no SQL) while the track's records are cached and unchanged."""
        signed = media_urls.verify(self._deps.grants, token, self._deps.clock())
        c = signed.claims
        await self._recheck(c.track_id, c.to, c.token, c.need, NO_MEDIA)
        return signed

    async def authorize_download(self, token: str) -> VerifiedDownload:
        """A download grant whose claims still hold (as authorize_media)."""
        claims, expires = self._deps.grants.verify_claims(
            token, media_urls.DOWNLOAD_KIND, self._deps.clock(), DownloadClaims
        )
        await self._recheck(claims.track_id, claims.to, claims.token, "download", NO_DOWNLOAD)
        return VerifiedDownload(claims, expires)

    async def redeem_download(self, grant_token: str) -> VerifiedDownload:
        """Use a download grant: re-check it (authorize_download) and count the download —
        once per grant, however many requests (ranges or repeats) fetch it."""
        verified = await self.authorize_download(grant_token)
        redemption = self._deps.grants.redemption_id(grant_token)
        track_id, to = verified.claims.track_id, verified.claims.to
        async with self._deps.db.write() as uow:
            if await uow.plays.record_download(
                track_id, to.user_id, to.app_id, to.territory, redemption
            ):
                await uow.counters.tracks.add(track_id, downloads=1)
        return verified

    async def _recheck(
        self, track_id: int, to: GrantedTo, token_digest: str, need: str, missing: str
    ) -> None:
        now = self._deps.clock()
        viewer = to.viewer()
        async with self._deps.db.read() as uow:
            tracks = await uow.tracks.get_many([track_id])
            policies = await uow.policies.get_many([track_id]) if tracks else []
        if not tracks or not policies:
            raise NotFound(missing)
        owner, policy = tracks[0].user_id, policies[0]
        same = self._same_token(token_digest, policy.secret_token)
        secret = policy.secret_token if same else None
        if not access.track_visible(viewer, owner, policy, now, secret):
            raise NotFound(missing)
        if need == "download":
            allowed = access.can_download(viewer, owner, policy, now, secret)
        elif need == "visible":
            allowed = True
        else:
            allowed = access.can_stream(viewer, owner, policy, now, need == "full", secret)
        if not allowed:
            raise PermissionDenied("this track is not available here", reason="blocked")

    def _same_token(self, digest: str, secret_token: str) -> bool:
        if not digest or not secret_token:
            return False
        return hmac.compare_digest(digest, self._deps.grants.digest(secret_token))


def _for(claims: MediaClaims, key: str, ext: str, need: Need) -> MediaClaims:
    return MediaClaims(key, ext, claims.track_id, need, claims.to, claims.token)
