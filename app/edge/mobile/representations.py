"""The Mobile API's external representations: large documents with embedded entities.

Parts a `fields=` mask did not ask for are UNSET and left out of the JSON. Timestamps are
ISO-8601 UTC; ids are numbers; every list is `{"collection": [...], "next_href": ...}`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType


class Rep(msgspec.Struct):
    """Base of every mobile representation."""


class UserCounts(Rep):
    followers: int
    followings: int
    tracks: int
    playlists: int
    likes: int
    playlist_likes: int
    reposts: int
    comments: int


class UserRelation(Rep):
    """How the signed-in user relates to this user."""

    following: bool
    followed_by: bool


class UserCard(Rep):
    """A user as embedded in other entities, and as a profile (with `top_*` when asked for)."""

    id: int
    kind: str = "user"
    username: str | UnsetType = UNSET
    permalink: str | UnsetType = UNSET
    full_name: str | UnsetType = UNSET
    first_name: str | UnsetType = UNSET
    last_name: str | UnsetType = UNSET
    description: str | UnsetType = UNSET
    city: str | UnsetType = UNSET
    country: str | UnsetType | None = UNSET
    plan: str | UnsetType = UNSET
    avatar_url: str | UnsetType | None = UNSET
    website: str | UnsetType = UNSET
    website_title: str | UnsetType = UNSET
    created_at: dt.datetime | UnsetType = UNSET
    counts: UserCounts | UnsetType = UNSET
    relation: UserRelation | UnsetType = UNSET
    """Only when a user is signed in."""


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
    status: str
    format: str
    duration_ms: int
    size_bytes: int
    transcodings: list[TranscodingRep]


class EngagementState(Rep):
    """What the signed-in user did to this track or playlist."""

    liked: bool
    reposted: bool


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
    streams: Any | UnsetType = UNSET
    """Stream URLs from the media service, when it offers them."""
    viewer: EngagementState | UnsetType = UNSET
    """Only when a user is signed in."""


class PlaylistStatsRep(Rep):
    likes: int
    reposts: int
    tracks: int
    duration_ms: int


class PlaylistPolicyRep(Rep):
    sharing: str
    can_edit: bool
    secret_token: str | UnsetType | None = UNSET


class PlaylistRep(Rep):
    id: int
    user_id: int
    kind: str = "playlist"
    user: UserCard | UnsetType = UNSET
    title: str | UnsetType = UNSET
    permalink: str | UnsetType = UNSET
    description: str | UnsetType = UNSET
    set_type: str | UnsetType = UNSET
    genre: str | UnsetType = UNSET
    tag_list: str | UnsetType = UNSET
    label_name: str | UnsetType = UNSET
    release_date: dt.date | UnsetType | None = UNSET
    artwork_url: str | UnsetType | None = UNSET
    created_at: dt.datetime | UnsetType = UNSET
    updated_at: dt.datetime | UnsetType = UNSET
    policy: PlaylistPolicyRep | UnsetType = UNSET
    stats: PlaylistStatsRep | UnsetType = UNSET
    viewer: EngagementState | UnsetType = UNSET
    track_ids: list[int] | UnsetType = UNSET
    tracks: list[TrackRep] | UnsetType = UNSET
    """The tracks this viewer may see, in playlist order, each with its owner."""


class ProfileRep(UserCard):
    """A user's profile page in one response: the card plus latest tracks and playlists."""

    top_tracks: list[TrackRep] | UnsetType = UNSET
    playlists: list[PlaylistRep] | UnsetType = UNSET


class CommentRep(Rep):
    id: int
    track_id: int
    body: str
    timestamp_ms: int | None
    created_at: dt.datetime
    user: UserCard
    kind: str = "comment"


class OwnTrackRep(Rep):
    """A track as its owner manages it (private ones included, with the secret token)."""

    id: int
    user_id: int
    title: str
    permalink: str
    description: str
    genre: str
    tag_list: str
    duration_ms: int
    bpm: float | None
    key_signature: str
    isrc: str | None
    license: str
    label_name: str
    purchase_url: str
    purchase_title: str
    release_date: dt.date | None
    artwork_url: str | None
    sharing: str
    secret_token: str
    release_at: dt.datetime | None
    territories: list[str] | None
    streamable: bool
    downloadable: bool
    commentable: bool
    monetization: str
    taken_down: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    kind: str = "track"


class TrackCollection(Rep):
    collection: list[TrackRep]
    next_href: str | None


class OwnTrackCollection(Rep):
    collection: list[OwnTrackRep]
    next_href: str | None


class UserCollection(Rep):
    collection: list[UserCard]
    next_href: str | None


class PlaylistCollection(Rep):
    collection: list[PlaylistRep]
    next_href: str | None


class CommentCollection(Rep):
    collection: list[CommentRep]
    next_href: str | None


class SearchResults(Rep):
    """`kind=all`: the first page of each kind, each with its own next_href."""

    tracks: TrackCollection
    users: UserCollection
    playlists: PlaylistCollection


class LikeState(Rep):
    liked: bool
    likes_count: int


class RepostState(Rep):
    reposted: bool
    reposts_count: int


class FollowState(Rep):
    following: bool
    followers_count: int


class PlayCount(Rep):
    plays_count: int


class DownloadGrantRep(Rep):
    track_id: int
    token: str
    expires_at: dt.datetime
    url: str
    """Where the original file is fetched (works until `expires_at`)."""
