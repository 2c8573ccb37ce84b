"""Users as the Mobile API shows them."""

from __future__ import annotations

import datetime as dt

from msgspec import UNSET, UnsetType

from app.edge.mobile.representations.base import Rep


class UserCounts(Rep):
    followers: int
    followings: int
    tracks: int
    playlists: int
    likes: int
    playlist_likes: int
    reposts: int
    comments: int
    private_tracks: int | None = None
    """How many of the tracks are private: for the user themself only (null for others)."""
    private_playlists: int | None = None


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


class UserCollection(Rep):
    collection: list[UserCard]
    next_href: str | None
