"""Playback grants: signed, short-lived URLs to a track's media per the access policy, carrying
who they were issued to — and the re-check of those claims, by the same policy, each time a URL
is used (a deleted, hidden or taken-down track stops playing at once)."""

from __future__ import annotations

import datetime as dt

from app.foundation.media.records import MediaRecord, TranscodingRecord
from app.foundation.policies.records import TrackPolicyRecord
from app.foundation.unit_of_work import UnitOfWork
from app.value_added import access
from app.value_added.access import Viewer
from app.value_added.catalog import visible_track
from app.value_added.common.deps import Deps
from app.value_added.common.errors import NotFound, PermissionDenied
from app.value_added.common.secrets import digest, same
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

_BY_KIND = {r.kind: r for r in RENDITIONS}
_EXT = {"progressive": "mp3", "hls": "m3u8"}
NO_MEDIA = "no such media object"
NO_DOWNLOAD = "this track has no downloadable file"


class TrackStreams:
    """Playback: which URLs a viewer may play (a range request is not a play), and using them
    (re-checked each time; a download counted once per grant)."""

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
        claims = self._claims(viewer, track_id, track.user_id, secret_token)
        return [
            self._grant(t, expires, claims)
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
            track, _ = await visible_track(uow, who, track_id, now, secret_token)
            _, transcodings = await self._finished_media(uow, track_id)
        claims = self._claims(who, track_id, track.user_id, secret_token)
        for t in transcodings:
            if t.kind == WAVEFORM_KIND:
                wave = _for(claims, t.storage_key, "json", "visible")
                return signed_path(self._deps.grants, wave, now + STREAM_TTL, "waveform")
        return None

    @staticmethod
    async def _finished_media(
        uow: UnitOfWork, track_id: int
    ) -> tuple[MediaRecord | None, list[TranscodingRecord]]:
        media = await uow.media.for_tracks([track_id])
        if not media or media[0].status != "finished":
            return None, []
        return media[0], await uow.media.transcodings_of([media[0].id])

    def _claims(
        self, viewer: Viewer, track_id: int, owner_id: int, secret_token: str | None
    ) -> MediaClaims:
        """Claims for `viewer` on the track; each URL fills in its object and what it needs."""
        to = GrantedTo.of(viewer, owner_id)
        return MediaClaims("", "", track_id, "visible", to, token_digest_of(secret_token))

    def _grant(
        self, t: TranscodingRecord, expires: dt.datetime, claims: MediaClaims
    ) -> StreamGrant:
        rendition = _BY_KIND[t.kind]
        ext = _EXT[rendition.protocol]
        name = "playlist" if rendition.protocol == "hls" else "stream"
        need: Need = "preview" if rendition.preview else "full"
        signed = _for(claims, t.storage_key, ext, need)
        return StreamGrant(
            kind=rendition.protocol,
            format=rendition.format,
            mime_type=rendition.mime_type,
            url=signed_path(self._deps.grants, signed, expires, name),
            expires_at=expires,
            preview=rendition.preview,
            duration_ms=t.duration_ms,
        )

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
        claims, expires = self._deps.grants.verify(
            token, media_urls.DOWNLOAD_KIND, self._deps.clock(), DownloadClaims
        )
        await self._recheck(claims.track_id, claims.to, claims.token, "download", NO_DOWNLOAD)
        return VerifiedDownload(claims, expires)

    async def redeem_download(self, grant_token: str) -> VerifiedDownload:
        """Use a download grant: re-check it (authorize_download) and count the download —
        once per grant, however many requests (ranges or repeats) fetch it."""
        verified = await self.authorize_download(grant_token)
        redemption = digest(grant_token)
        track_id, to = verified.claims.track_id, verified.claims.to

        async def count(uow: UnitOfWork) -> None:
            if await uow.plays.record_download(
                track_id, to.user_id, to.app_id, to.territory, redemption
            ):
                await uow.counters.tracks.add(track_id, downloads=1)

        await self._deps.db.transact(count)
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
        secret = policy.secret_token if self._same_token(token_digest, policy) else None
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

    @staticmethod
    def _same_token(token_digest: str, policy: TrackPolicyRecord) -> bool:
        """Was the grant issued with the track's current secret-link token?"""
        if not token_digest or not policy.secret_token:
            return False
        return same(token_digest, token_digest_of(policy.secret_token))


def token_digest_of(secret_token: str | None) -> str:
    """What a grant carries of the secret-link token it was issued with (a digest, never the
    token: URLs travel and get logged)."""
    return digest(secret_token)[:32] if secret_token else ""


def _for(claims: MediaClaims, key: str, ext: str, need: Need) -> MediaClaims:
    return MediaClaims(key, ext, claims.track_id, need, claims.to, claims.token)
