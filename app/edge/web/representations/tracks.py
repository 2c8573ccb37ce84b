"""api-v2 tracks (BasicTrack with a BasicUser, Track with a User), their media, comments, and
the links a download or a stream answers with."""

from __future__ import annotations

from typing import Literal

import msgspec
from msgspec import UNSET, UnsetType

from app.edge.web.representations.base import Entity
from app.edge.web.representations.users import BasicUser, User


class Format(msgspec.Struct, gc=False):
    protocol: str
    mime_type: str


class Transcoding(msgspec.Struct, gc=False):
    """One way to play a track: `url` is this BFF's stream-URL endpoint for it."""

    url: str
    preset: str
    duration: int
    snipped: bool
    format: Format
    quality: str


class Media(msgspec.Struct, gc=False):
    transcodings: list[Transcoding]
    state: str


class BasicTrack(Entity, tag="track"):
    id: int
    urn: str | UnsetType = UNSET
    uri: str | UnsetType = UNSET
    user_id: int | UnsetType = UNSET
    title: str | UnsetType = UNSET
    permalink: str | UnsetType = UNSET
    permalink_url: str | UnsetType = UNSET
    description: str | UnsetType | None = UNSET
    caption: Literal[None] | UnsetType = UNSET
    genre: str | UnsetType | None = UNSET
    tag_list: str | UnsetType = UNSET
    label_name: str | UnsetType | None = UNSET
    licence: str | UnsetType = UNSET
    purchase_title: str | UnsetType | None = UNSET
    purchase_url: str | UnsetType | None = UNSET
    release_date: str | UnsetType | None = UNSET
    bpm: float | UnsetType | None = UNSET
    key_signature: str | UnsetType | None = UNSET
    isrc: str | UnsetType | None = UNSET
    artwork_url: str | UnsetType | None = UNSET
    waveform_url: str | UnsetType = UNSET
    created_at: str | UnsetType | None = UNSET
    last_modified: str | UnsetType | None = UNSET
    display_date: str | UnsetType | None = UNSET
    duration: int | UnsetType = UNSET
    full_duration: int | UnsetType = UNSET
    sharing: str | UnsetType = UNSET
    public: bool | UnsetType = UNSET
    secret_token: str | UnsetType | None = UNSET
    embeddable_by: str | UnsetType = UNSET
    streamable: bool | UnsetType = UNSET
    commentable: bool | UnsetType = UNSET
    downloadable: bool | UnsetType = UNSET
    has_downloads_left: bool | UnsetType = UNSET
    policy: str | UnsetType = UNSET
    monetization_model: str | UnsetType = UNSET
    likes_count: int | UnsetType = UNSET
    reposts_count: int | UnsetType = UNSET
    playback_count: int | UnsetType = UNSET
    comment_count: int | UnsetType = UNSET
    download_count: int | UnsetType = UNSET
    state: str | UnsetType = UNSET
    media: Media | UnsetType = UNSET
    track_authorization: str | UnsetType = UNSET
    station_urn: str | UnsetType = UNSET
    station_permalink: Literal[None] | UnsetType = UNSET
    visuals: Literal[None] | UnsetType = UNSET
    user_liked: bool | UnsetType = UNSET
    user_reposted: bool | UnsetType = UNSET
    user: BasicUser | UnsetType = UNSET


class Track(BasicTrack, tag="track"):
    """A track whose owner comes with counts (search results, resolve)."""

    user: User | UnsetType = UNSET


class CommentSelf(msgspec.Struct, gc=False):
    urn: str


class Comment(Entity, tag="comment"):
    """BasicComment; with `track`, the Comment that names its track (a user's comments)."""

    id: int
    body: str
    created_at: str | None
    timestamp: int | None
    track_id: int
    user_id: int
    self_: CommentSelf = msgspec.field(name="self")
    user: BasicUser | None
    track: BasicTrack | UnsetType = UNSET


class DownloadLink(msgspec.Struct, gc=False):
    """Where the original file is downloaded from (a short-lived signed link)."""

    redirect_uri: str = msgspec.field(name="redirectUri")


class StreamLink(msgspec.Struct, gc=False):
    """The signed media URL of a transcoding."""

    url: str
