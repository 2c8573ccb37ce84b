"""Signed, short-lived media URLs (the signature IS the authorization) and stable artwork URLs."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import msgspec

from app.foundation.media.storage import KEY_PATTERN
from app.value_added.common.errors import NotFound
from app.value_added.common.grants import GrantSigner
from app.value_added.media.formats import MIME_TYPES

PREFIX = "/media"
STREAM_TTL = dt.timedelta(minutes=10)
GRANT_KIND = "media"


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
    """What a verified signed URL names: a stored object and its type."""

    key: str
    ext: str
    mime_type: str
    expires_at: dt.datetime


def signed_path(
    grants: GrantSigner, key: str, ext: str, expires_at: dt.datetime, name: str = "stream"
) -> str:
    token = grants.sign(GRANT_KIND, f"{key}.{ext}", expires_at)
    return f"{PREFIX}/streams/{token}/{name}.{ext}"


def verify(grants: GrantSigner, token: str, now: dt.datetime) -> SignedObject:
    """The object a signed token names; tampered or expired ⇒ PermissionDenied."""
    grant = grants.verify(token, GRANT_KIND, now)
    key, _, ext = grant.subject.rpartition(".")
    if ext not in MIME_TYPES or not KEY_PATTERN.match(key):
        raise NotFound("no such media object")
    return SignedObject(
        key=key,
        ext=ext,
        mime_type=MIME_TYPES[ext],
        expires_at=dt.datetime.fromtimestamp(grant.expires, dt.UTC),
    )


def artwork_url(key: str | None, size: str = "large") -> str | None:
    """The stable, public URL of an artwork/avatar variant (`t500x500`, `large`, `small` …)."""
    return f"{PREFIX}/artwork/{key}/{size}.jpg" if key else None


def download_path(grant_token: str) -> str:
    """Where the original file of a TracksService.download grant is served."""
    return f"{PREFIX}/downloads/{grant_token}"
