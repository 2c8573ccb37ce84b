"""Users as SoundCloud's document describes them: User, Me (with its quota) and WebProfile."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec
from msgspec import UNSET, UnsetType

from app.edge.public.representations.base import Rep, Stamp, Url, Urn

Count = int | UnsetType
Text = str | UnsetType
Moment = Annotated[dt.datetime, msgspec.Meta(description="RFC 3339, UTC, whole seconds")]


class Person(Rep, kw_only=True, tag_field="kind"):
    """What a User and Me share (each adds its own timestamps)."""

    id: int
    urn: Urn
    username: Text = UNSET
    permalink: Text = UNSET
    permalink_url: Annotated[str, msgspec.Meta(description="URL to the user's page")]
    uri: Annotated[str, msgspec.Meta(description="API resource URL")]
    avatar_url: Url | UnsetType = UNSET
    first_name: Text = UNSET
    last_name: Text = UNSET
    full_name: Text = UNSET
    description: Text = UNSET
    city: Text = UNSET
    country: Text = UNSET
    plan: Annotated[str, msgspec.Meta(description="Subscription plan, capitalised")] | (
        UnsetType
    ) = UNSET
    website: Text = UNSET
    website_title: Text = UNSET
    followers_count: Count = UNSET
    followings_count: Count = UNSET
    track_count: Count = UNSET
    playlist_count: Count = UNSET
    public_favorites_count: Count = UNSET
    likes_count: Count = UNSET
    playlist_likes_count: Count = UNSET
    reposts_count: Count = UNSET
    comments_count: Count = UNSET


class User(Person, kw_only=True, tag="user"):
    """SoundCloud User object (its timestamps in RFC 3339, unlike every other one)."""

    created_at: Moment | UnsetType = UNSET
    last_modified: Moment | UnsetType = UNSET


class Quota(Rep, kw_only=True):
    """The user's upload quota."""

    unlimited_upload_quota: bool
    upload_seconds_used: int
    upload_seconds_left: int | None


class Me(Person, kw_only=True, tag="user"):
    """SoundCloud Me object: the signed-in user, with the account's fields (its timestamps in
    SoundCloud's format, unlike a User's)."""

    created_at: Stamp | UnsetType = UNSET
    last_modified: Stamp | UnsetType = UNSET
    private_tracks_count: Count = UNSET
    private_playlists_count: Count = UNSET
    online: bool
    primary_email_confirmed: bool
    locale: str | None
    upload_seconds_left: int | None
    quota: Quota


class WebProfile(Rep, kw_only=True, tag_field="kind", tag="web-profile"):
    """A link the user added to their profile."""

    id: int
    urn: Urn
    service: Annotated[str, msgspec.Meta(description="Service or platform")]
    title: str
    url: str
    username: Annotated[str, msgspec.Meta(description="Username in the external link")]
    created_at: Stamp
