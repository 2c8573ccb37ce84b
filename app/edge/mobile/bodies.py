"""Request bodies the Mobile API accepts (its input representations)."""

from __future__ import annotations

import datetime as dt

import msgspec
from msgspec import UNSET, UnsetType


class Body(msgspec.Struct, forbid_unknown_fields=True):
    """Base of every mobile request body: unknown fields are a 400, not silently dropped."""


class NewComment(Body):
    body: str
    timestamp_ms: int | None = None


class TrackIds(Body):
    track_ids: list[int]


class NewPlaylist(Body):
    title: str
    description: str = ""
    set_type: str = "playlist"
    sharing: str = "public"
    genre: str = ""
    tag_list: str = ""
    label_name: str = ""
    release_date: dt.date | None = None
    track_ids: list[int] = []


class PlaylistPatch(Body):
    title: str | UnsetType = UNSET
    description: str | UnsetType = UNSET
    set_type: str | UnsetType = UNSET
    sharing: str | UnsetType = UNSET
    genre: str | UnsetType = UNSET
    tag_list: str | UnsetType = UNSET
    label_name: str | UnsetType = UNSET
    release_date: dt.date | UnsetType | None = UNSET


class NewTrack(Body):
    """Track metadata and policy; the audio is uploaded separately."""

    title: str
    description: str = ""
    genre: str = ""
    tag_list: str = ""
    duration_ms: int = 0
    bpm: float | None = None
    key_signature: str = ""
    isrc: str | None = None
    license: str = "all-rights-reserved"
    label_name: str = ""
    purchase_url: str = ""
    purchase_title: str = ""
    release_date: dt.date | None = None
    sharing: str = "public"
    release_at: dt.datetime | None = None
    territories: list[str] | None = None
    streamable: bool = True
    downloadable: bool = False
    commentable: bool = True
    monetization: str = "none"


class TrackPatch(Body):
    """Only the fields present change; `null` clears a nullable field."""

    title: str | UnsetType = UNSET
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
    sharing: str | UnsetType = UNSET
    release_at: dt.datetime | UnsetType | None = UNSET
    territories: list[str] | UnsetType | None = UNSET
    streamable: bool | UnsetType = UNSET
    downloadable: bool | UnsetType = UNSET
    commentable: bool | UnsetType = UNSET
    monetization: str | UnsetType = UNSET
