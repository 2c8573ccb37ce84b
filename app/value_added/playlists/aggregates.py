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


SINGLES_TITLE = "Singles"
"""The title of an artist's singles, the release that holds their tracks on no album."""


class AlbumRef(msgspec.Struct, frozen=True):
    """Which release: an album (a playlist of set type album) or an artist's singles."""

    id: int
    """The playlist id; for singles, the artist's user id."""
    singles: bool = False


class Album(msgspec.Struct, frozen=True, kw_only=True):
    """A release as music players know it: an album, or an artist's singles — their tracks
    the viewer may see that no album of theirs (visible to the viewer) holds."""

    ref: AlbumRef
    user_id: int
    title: str
    description: str = ""
    genre: str = ""
    release_date: dt.date | None = None
    artwork_key: str | None = None
    created_at: dt.datetime
    """The album's creation; for singles, when the newest single was created."""
    track_count: int
    duration_ms: int
    tracks: list[Track] | UnsetType = UNSET
    """The visible tracks in album order (singles: newest first), when asked for."""
