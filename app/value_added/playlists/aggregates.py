"""The Playlist aggregate: metadata, policy, stats, viewer state and (optionally) its tracks."""

from __future__ import annotations

import datetime as dt

import msgspec
from msgspec import UNSET, UnsetType

from app.value_added.tracks import TRACK_PATHS, Track

METADATA_FIELDS = (
    "title",
    "permalink",
    "description",
    "set_type",
    "genre",
    "tag_list",
    "label_name",
    "release_date",
    "artwork_key",
    "created_at",
    "updated_at",
)


class PlaylistPolicy(msgspec.Struct, frozen=True):
    sharing: str
    can_edit: bool
    secret_token: str | None = None
    """Only for the owner (or a managing partner app)."""


class PlaylistStats(msgspec.Struct, frozen=True):
    likes: int
    reposts: int
    tracks: int
    duration_ms: int


class PlaylistViewerState(msgspec.Struct, frozen=True):
    liked: bool
    reposted: bool


class Playlist(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    user_id: int
    title: str | UnsetType = UNSET
    permalink: str | UnsetType = UNSET
    description: str | UnsetType = UNSET
    set_type: str | UnsetType = UNSET
    genre: str | UnsetType = UNSET
    tag_list: str | UnsetType = UNSET
    label_name: str | UnsetType = UNSET
    release_date: dt.date | UnsetType | None = UNSET
    artwork_key: str | UnsetType | None = UNSET
    created_at: dt.datetime | UnsetType = UNSET
    updated_at: dt.datetime | UnsetType = UNSET
    policy: PlaylistPolicy | UnsetType = UNSET
    stats: PlaylistStats | UnsetType = UNSET
    viewer: PlaylistViewerState | UnsetType = UNSET
    track_ids: list[int] | UnsetType = UNSET
    """Ids of the tracks this viewer may see, in playlist order."""
    tracks: list[Track] | UnsetType = UNSET


def _paths() -> tuple[str, ...]:
    paths: list[str] = ["id", "user_id", "track_ids", *METADATA_FIELDS, "tracks"]
    paths.extend(f"tracks.{p}" for p in TRACK_PATHS)
    for name, part in (
        ("policy", PlaylistPolicy),
        ("stats", PlaylistStats),
        ("viewer", PlaylistViewerState),
    ):
        paths.append(name)
        paths.extend(f"{name}.{f}" for f in part.__struct_fields__)
    return tuple(paths)


PLAYLIST_PATHS = _paths()
