"""Signed, short-lived media URLs and stable artwork URLs.

A signed stream URL names a stored object AND carries who it was issued to, for which track and
what it lets them do (`MediaClaims`); the media edge re-checks those claims against the access
policy on every request, so a URL stops working as soon as its track is deleted, hidden or
taken down, whatever its expiry.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import msgspec

from app.foundation.media.storage import KEY_PATTERN
from app.value_added.access import Viewer
from app.value_added.common.errors import NotFound
from app.value_added.common.grants import GrantSigner
from app.value_added.media.formats import MIME_TYPES

PREFIX = "/media"
STREAM_TTL = dt.timedelta(minutes=10)
GRANT_KIND = "media"
DOWNLOAD_KIND = "download"

Need = Literal["visible", "preview", "full"]
"""What the holder must still be allowed: to see the track (waveform), to play its preview, or
to play it in full."""


class GrantedTo(msgspec.Struct, frozen=True, array_like=True):
    """The viewer a URL was issued to, as much as the access policy needs to decide again."""

    user_id: int | None
    app_id: int | None
    territory: str | None
    plan: str
    managed_owner: int | None
    """The track's owner, when the viewer's app managed them at issue time."""

    @classmethod
    def of(cls, viewer: Viewer, owner_id: int) -> GrantedTo:
        managed = owner_id if viewer.manages(owner_id) else None
        return cls(viewer.user_id, viewer.app_id, viewer.territory, viewer.plan, managed)

    def viewer(self) -> Viewer:
        managed = frozenset({self.managed_owner}) if self.managed_owner is not None else frozenset()
        return Viewer(self.user_id, self.app_id, self.territory, self.plan, managed)


class MediaClaims(msgspec.Struct, frozen=True, array_like=True):
    """What a signed media URL grants."""

    key: str
    ext: str
    track_id: int
    need: Need
    to: GrantedTo
    token: str = ""
    """Keyed digest of the secret-link token the URL was issued with ("" for none)."""


class DownloadClaims(msgspec.Struct, frozen=True, array_like=True):
    """What a download grant grants: the original of one track, to one viewer."""

    track_id: int
    to: GrantedTo
    token: str
    nonce: str
    """Makes every grant distinct (each counts one download, however often it is fetched)."""


class VerifiedDownload(msgspec.Struct, frozen=True):
    """A download grant that verified and still holds."""

    claims: DownloadClaims
    expires_at: dt.datetime


class StreamGrant(msgspec.Struct, frozen=True, kw_only=True):
    """One way to play a track: a signed URL that works until `expires_at`."""

    kind: Literal["progressive", "hls"]
    format: str
    """`mp3_128` or `aac_160`."""
    mime_type: str
    url: str
    """A path under /media, signed and short-lived."""
    expires_at: dt.datetime
    preview: bool
    duration_ms: int


class SignedObject(msgspec.Struct, frozen=True):
    """What a verified signed URL names: a stored object, its type, and the grant's claims."""

    key: str
    ext: str
    mime_type: str
    expires_at: dt.datetime
    claims: MediaClaims


def signed_path(
    grants: GrantSigner, claims: MediaClaims, expires_at: dt.datetime, name: str = "stream"
) -> str:
    token = grants.sign(GRANT_KIND, claims, expires_at)
    return f"{PREFIX}/streams/{token}/{name}.{claims.ext}"


def verify(grants: GrantSigner, token: str, now: dt.datetime) -> SignedObject:
    """The object a signed token names; tampered or expired ⇒ PermissionDenied."""
    claims, expires = grants.verify(token, GRANT_KIND, now, MediaClaims)
    if claims.ext not in MIME_TYPES or not KEY_PATTERN.match(claims.key):
        raise NotFound("no such media object")
    return SignedObject(claims.key, claims.ext, MIME_TYPES[claims.ext], expires, claims)


def artwork_url(key: str | None, size: str = "large") -> str | None:
    """The stable, public URL of an artwork/avatar variant (`t500x500`, `large`, `small` …)."""
    return f"{PREFIX}/artwork/{key}/{size}.jpg" if key else None


def download_path(grant_token: str) -> str:
    """Where the original file of a TracksService.download grant is served."""
    return f"{PREFIX}/downloads/{grant_token}"
