"""The User aggregate: profile metadata, counts and the viewer's relation, per field mask."""

from __future__ import annotations

import datetime as dt

import msgspec
from msgspec import UNSET, UnsetType

METADATA_FIELDS = (
    "username",
    "permalink",
    "first_name",
    "last_name",
    "full_name",
    "description",
    "city",
    "country",
    "plan",
    "avatar_key",
    "website",
    "website_title",
    "created_at",
    "updated_at",
)


class UserStats(msgspec.Struct, frozen=True):
    """Counts of the user's lists as the viewer can list them (users.loading.stats_for)."""

    followers: int
    followings: int
    tracks: int
    playlists: int
    likes: int
    playlist_likes: int
    reposts: int
    comments: int
    private_tracks: int | None = None
    """How many of the tracks are private: only for the user themself (or their manager)."""
    private_playlists: int | None = None


class UserViewerState(msgspec.Struct, frozen=True):
    following: bool
    followed_by: bool


class WebProfile(msgspec.Struct, frozen=True):
    id: int
    service: str
    title: str
    url: str
    username: str
    created_at: dt.datetime


class User(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    username: str | UnsetType = UNSET
    permalink: str | UnsetType = UNSET
    first_name: str | UnsetType = UNSET
    last_name: str | UnsetType = UNSET
    full_name: str | UnsetType = UNSET
    description: str | UnsetType = UNSET
    city: str | UnsetType = UNSET
    country: str | UnsetType | None = UNSET
    plan: str | UnsetType = UNSET
    avatar_key: str | UnsetType | None = UNSET
    website: str | UnsetType = UNSET
    website_title: str | UnsetType = UNSET
    created_at: dt.datetime | UnsetType = UNSET
    updated_at: dt.datetime | UnsetType = UNSET
    stats: UserStats | UnsetType = UNSET
    viewer: UserViewerState | UnsetType = UNSET


class FollowResult(msgspec.Struct, frozen=True):
    following: bool
    followers: int


def _paths() -> tuple[str, ...]:
    paths = ["id", *METADATA_FIELDS, "stats", "viewer"]
    paths.extend(f"stats.{f}" for f in UserStats.__struct_fields__)
    paths.extend(f"viewer.{f}" for f in UserViewerState.__struct_fields__)
    return tuple(paths)


USER_PATHS = _paths()
