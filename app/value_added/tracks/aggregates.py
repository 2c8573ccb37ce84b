"""The Track aggregate: metadata plus optional parts, each UNSET unless the mask asked for it."""

from __future__ import annotations

import datetime as dt

import msgspec
from msgspec import UNSET, UnsetType

from app.value_added.access import Access
from app.value_added.catalog.aggregates import MediaState

METADATA_FIELDS = (
    "title",
    "permalink",
    "description",
    "genre",
    "tag_list",
    "duration_ms",
    "bpm",
    "key_signature",
    "isrc",
    "license",
    "label_name",
    "purchase_url",
    "purchase_title",
    "release_date",
    "artwork_key",
    "created_at",
    "updated_at",
)


class TrackStats(msgspec.Struct, frozen=True):
    likes: int
    reposts: int
    plays: int
    comments: int
    downloads: int


class TrackPolicy(msgspec.Struct, frozen=True):
    """The track's policy as this viewer may see it, with the viewer's access decisions."""

    sharing: str
    access: Access
    streamable: bool
    downloadable: bool
    commentable: bool
    monetization: str
    release_at: dt.datetime | None
    can_download: bool
    can_comment: bool
    can_edit: bool
    secret_token: str | None = None
    """Only for the owner (or a managing partner app)."""
    territories: list[str] | None = None
    taken_down: bool = False


class Transcoding(msgspec.Struct, frozen=True):
    kind: str
    content_type: str
    duration_ms: int


class TrackMedia(msgspec.Struct, frozen=True):
    status: str
    """'processing', 'finished' or 'failed' (api-v2's `state` values)."""
    status_reason: str
    format: str
    duration_ms: int
    size_bytes: int
    transcodings: list[Transcoding]
    state: MediaState = "none"
    """When the track can be played: `none` (no audio uploaded), `processing`, `ready`,
    `failed`."""


class ViewerState(msgspec.Struct, frozen=True):
    liked: bool
    reposted: bool


class Track(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    user_id: int
    title: str | UnsetType = UNSET
    permalink: str | UnsetType = UNSET
    description: str | UnsetType = UNSET
    genre: str | UnsetType = UNSET
    tag_list: str | UnsetType = UNSET
    duration_ms: int | UnsetType = UNSET
    bpm: float | UnsetType | None = UNSET
    key_signature: str | UnsetType = UNSET
    isrc: str | UnsetType | None = UNSET
    license: str | UnsetType = UNSET
    label_name: str | UnsetType = UNSET
    purchase_url: str | UnsetType = UNSET
    purchase_title: str | UnsetType = UNSET
    release_date: dt.date | UnsetType | None = UNSET
    artwork_key: str | UnsetType | None = UNSET
    created_at: dt.datetime | UnsetType = UNSET
    updated_at: dt.datetime | UnsetType = UNSET
    policy: TrackPolicy | UnsetType = UNSET
    media: TrackMedia | UnsetType = UNSET
    stats: TrackStats | UnsetType = UNSET
    viewer: ViewerState | UnsetType = UNSET


class Comment(msgspec.Struct, frozen=True):
    id: int
    track_id: int
    user_id: int
    body: str
    timestamp_ms: int | None
    created_at: dt.datetime


class DownloadGrant(msgspec.Struct, frozen=True):
    token: str
    expires_at: dt.datetime
    track_id: int


class Engagement(msgspec.Struct, frozen=True):
    """The result of a like/repost command: the viewer's state and the new count."""

    active: bool
    count: int


def _paths() -> tuple[str, ...]:
    nested: list[str] = ["id", "user_id", *METADATA_FIELDS]
    for name, part in (
        ("policy", TrackPolicy),
        ("media", TrackMedia),
        ("stats", TrackStats),
        ("viewer", ViewerState),
    ):
        nested.append(name)
        nested.extend(f"{name}.{f}" for f in part.__struct_fields__)
    return tuple(nested)


TRACK_PATHS = _paths()
"""Every path a track field mask may name."""


class Genre(msgspec.Struct, frozen=True):
    """A genre of the catalogue and how many tracks in it the viewer may see."""

    name: str
    tracks: int


class PlayQueue(msgspec.Struct, frozen=True, kw_only=True):
    """A user's saved play queue as the viewer may see it now: tracks deleted or hidden since
    it was saved are left out (and the current one with its position, if it is one of them)."""

    tracks: list[Track]
    current: int | None
    position_ms: int
    changed_at: dt.datetime
    changed_by: str
