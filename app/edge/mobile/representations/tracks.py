"""Tracks as the Mobile API shows them: to listeners, to their owner, their comments."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from msgspec import UNSET, UnsetType

from app.edge.mobile.representations.base import EngagementState, Rep
from app.edge.mobile.representations.users import UserCard


class TrackStatsRep(Rep):
    likes: int
    reposts: int
    plays: int
    comments: int
    downloads: int


class TrackPolicyRep(Rep):
    sharing: str
    access: str
    """'playable', 'preview' or 'blocked' for this viewer."""
    streamable: bool
    downloadable: bool
    commentable: bool
    monetization: str
    release_at: dt.datetime | None
    can_download: bool
    can_comment: bool
    can_edit: bool
    taken_down: bool
    secret_token: str | UnsetType | None = UNSET
    """Only for the owner."""
    territories: list[str] | UnsetType | None = UNSET


class TranscodingRep(Rep):
    kind: str
    content_type: str
    duration_ms: int


class MediaRep(Rep):
    state: Literal["none", "processing", "ready", "failed"]
    """When the track plays: `none` (no audio yet), `processing`, `ready` or `failed`."""
    status: str
    format: str
    duration_ms: int
    size_bytes: int
    transcodings: list[TranscodingRep]


class StreamRep(Rep):
    """One way the viewer may play the track: a signed, short-lived URL under /media."""

    kind: Literal["progressive", "hls"]
    format: str
    """`mp3_128` or `aac_160`."""
    mime_type: str
    url: str
    expires_at: dt.datetime
    preview: bool
    """Only the 30-second preview (the viewer may not play the whole track)."""
    duration_ms: int


class TrackRep(Rep):
    id: int
    user_id: int
    kind: str = "track"
    user: UserCard | UnsetType = UNSET
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
    artwork_url: str | UnsetType | None = UNSET
    created_at: dt.datetime | UnsetType = UNSET
    updated_at: dt.datetime | UnsetType = UNSET
    policy: TrackPolicyRep | UnsetType = UNSET
    stats: TrackStatsRep | UnsetType = UNSET
    media: MediaRep | UnsetType = UNSET
    streams: list[StreamRep] | UnsetType = UNSET
    """Stream URLs from the media service, when it offers them."""
    viewer: EngagementState | UnsetType = UNSET
    """Only when a user is signed in."""


class OwnTrackRep(TrackRep, kw_only=True):
    """A track as its owner manages it (private ones included): its metadata as in every
    TrackRep, plus the policy it set, flat, with the secret token and territories."""

    sharing: str
    streamable: bool
    downloadable: bool
    commentable: bool
    monetization: str
    release_at: dt.datetime | None
    taken_down: bool
    secret_token: str
    territories: list[str] | None


class TrackCollection(Rep):
    collection: list[TrackRep]
    next_href: str | None


class OwnTrackCollection(Rep):
    collection: list[OwnTrackRep]
    next_href: str | None


class CommentRep(Rep):
    id: int
    track_id: int
    body: str
    timestamp_ms: int | None
    created_at: dt.datetime
    user: UserCard
    kind: str = "comment"


class CommentCollection(Rep):
    collection: list[CommentRep]
    next_href: str | None


class DownloadGrantRep(Rep):
    track_id: int
    token: str
    expires_at: dt.datetime
    url: str
    """Where the original file is fetched (works until `expires_at`)."""
