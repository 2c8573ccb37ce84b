"""Typed inputs of the catalog commands: track and playlist drafts and changes, audit context."""

from __future__ import annotations

import datetime as dt

import msgspec
from msgspec import UNSET, UnsetType


class TrackDraft(msgspec.Struct, frozen=True, kw_only=True):
    """A new track's metadata and policy; only `title` is required."""

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


class TrackChanges(msgspec.Struct, frozen=True, kw_only=True):
    """Changes to a track: UNSET leaves a field as it is, None clears a nullable one."""

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


class PlaylistDraft(msgspec.Struct, frozen=True, kw_only=True):
    """A new playlist or album (set_type 'album'), optionally with its first tracks."""

    title: str
    description: str = ""
    set_type: str = "playlist"
    sharing: str = "public"
    genre: str = ""
    tag_list: str = ""
    label_name: str = ""
    release_date: dt.date | None = None
    track_ids: tuple[int, ...] = ()
    """Tracks to add, in order; each must be visible to the creating viewer."""


class PlaylistChanges(msgspec.Struct, frozen=True, kw_only=True):
    """Changes to a playlist: UNSET leaves a field as it is."""

    title: str | UnsetType = UNSET
    description: str | UnsetType = UNSET
    set_type: str | UnsetType = UNSET
    sharing: str | UnsetType = UNSET
    genre: str | UnsetType = UNSET
    tag_list: str | UnsetType = UNSET
    label_name: str | UnsetType = UNSET
    release_date: dt.date | UnsetType | None = UNSET


class AuditContext(msgspec.Struct, frozen=True, kw_only=True):
    """Who is writing, as the edge knows it: app id and name, the token's user, the request."""

    app_id: int
    app_name: str
    actor_user_id: int | None = None
    request_id: str | None = None
