"""api-v2 users: BasicUser (embedded in tracks, playlists, comments), User, Me, web profiles."""

from __future__ import annotations

from typing import Literal

import msgspec
from msgspec import UNSET, UnsetType

from app.edge.web.representations.base import Entity


class Badges(msgspec.Struct, gc=False):
    pro: bool
    pro_unlimited: bool
    verified: bool


class Product(msgspec.Struct, gc=False):
    id: str


class CreatorSubscription(msgspec.Struct, gc=False):
    product: Product


class BasicUser(Entity, tag="user"):
    id: int
    avatar_url: str | UnsetType = UNSET
    first_name: str | UnsetType = UNSET
    last_name: str | UnsetType = UNSET
    full_name: str | UnsetType = UNSET
    username: str | UnsetType = UNSET
    permalink: str | UnsetType = UNSET
    permalink_url: str | UnsetType = UNSET
    uri: str | UnsetType = UNSET
    urn: str | UnsetType = UNSET
    last_modified: str | UnsetType | None = UNSET
    followers_count: int | UnsetType = UNSET
    city: str | UnsetType | None = UNSET
    country_code: str | UnsetType | None = UNSET
    verified: bool | UnsetType = UNSET
    badges: Badges | UnsetType = UNSET
    station_urn: Literal[None] | UnsetType = UNSET
    station_permalink: Literal[None] | UnsetType = UNSET


class User(BasicUser, tag="user"):
    """A user with the profile's counts and subscription."""

    created_at: str | UnsetType | None = UNSET
    description: str | UnsetType | None = UNSET
    followings_count: int | UnsetType = UNSET
    track_count: int | UnsetType = UNSET
    playlist_count: int | UnsetType = UNSET
    likes_count: int | UnsetType = UNSET
    playlist_likes_count: int | UnsetType = UNSET
    reposts_count: int | UnsetType = UNSET
    comments_count: int | UnsetType = UNSET
    groups_count: int | UnsetType = UNSET
    creator_subscription: CreatorSubscription | UnsetType = UNSET
    creator_subscriptions: list[CreatorSubscription] | UnsetType = UNSET
    website: str | UnsetType | None = UNSET
    website_title: str | UnsetType | None = UNSET
    visuals: Literal[None] | UnsetType = UNSET


class Me(User, tag="user"):
    """The signed-in user: a user and how many of their tracks and playlists are private."""

    private_tracks_count: int | UnsetType | None = UNSET
    private_playlists_count: int | UnsetType | None = UNSET


class WebProfile(Entity, tag="web-profile"):
    """A link on a user's profile."""

    id: int
    network: str
    service: str
    title: str
    url: str
    username: str | None
    created_at: str | None
