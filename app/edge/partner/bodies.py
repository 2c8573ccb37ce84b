"""Request bodies the Partner API accepts, and their mapping to the Creator gateway's inputs.

Unknown fields are refused (400 naming the field) so a typo never silently does nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from app.value_added.creator import PlaylistChanges, PlaylistDraft, TrackChanges, TrackDraft


class TrackCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
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


class TrackPatch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Metadata changes (policies go through PATCH …/policy)."""

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


class TrackPolicyPatch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Release dates, territories (null: worldwide), monetization and sharing."""

    release_date: dt.date | UnsetType | None = UNSET
    release_at: dt.datetime | UnsetType | None = UNSET
    territories: list[str] | UnsetType | None = UNSET
    monetization: str | UnsetType = UNSET
    sharing: str | UnsetType = UNSET
    streamable: bool | UnsetType = UNSET
    downloadable: bool | UnsetType = UNSET
    commentable: bool | UnsetType = UNSET


class PlaylistCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A playlist, or an album/EP/single with `set_type`."""

    title: str
    description: str = ""
    set_type: str = "playlist"
    sharing: str = "public"
    genre: str = ""
    tag_list: str = ""
    label_name: str = ""
    release_date: dt.date | None = None


class PlaylistPatch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    title: str | UnsetType = UNSET
    description: str | UnsetType = UNSET
    set_type: str | UnsetType = UNSET
    sharing: str | UnsetType = UNSET
    genre: str | UnsetType = UNSET
    tag_list: str | UnsetType = UNSET
    label_name: str | UnsetType = UNSET
    release_date: dt.date | UnsetType | None = UNSET


def _set(body: msgspec.Struct) -> dict[str, Any]:
    return {k: v for k, v in msgspec.structs.asdict(body).items() if v is not UNSET}


def track_draft(body: TrackCreate) -> TrackDraft:
    return TrackDraft(**_set(body))


def track_changes(body: TrackPatch | TrackPolicyPatch) -> TrackChanges:
    return TrackChanges(**_set(body))


def playlist_draft(body: PlaylistCreate) -> PlaylistDraft:
    return PlaylistDraft(**_set(body))


def playlist_changes(body: PlaylistPatch) -> PlaylistChanges:
    return PlaylistChanges(**_set(body))
