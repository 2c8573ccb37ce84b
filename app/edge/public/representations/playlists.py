"""Playlists (and albums) as SoundCloud's document describes them."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import UNSET, UnsetType

from app.edge.public.representations.base import Rep, Stamp, Url, Urn
from app.edge.public.representations.tracks import Track
from app.edge.public.representations.users import User

Count = int | UnsetType
Text = str | UnsetType


class Playlist(Rep, kw_only=True, tag_field="kind", tag="playlist"):
    """SoundCloud Playlist object."""

    id: int
    urn: Urn
    user_id: int
    user_urn: Urn
    uri: Annotated[str, msgspec.Meta(description="Playlist URI")]
    tracks_uri: Annotated[str, msgspec.Meta(description="Its tracks' URI")]
    embeddable_by: str
    streamable: bool
    downloadable: bool
    license: str
    user: User | UnsetType = UNSET
    permalink_url: Url | UnsetType = UNSET
    title: Text = UNSET
    permalink: Text = UNSET
    description: Text = UNSET
    genre: Text = UNSET
    tag_list: Text = UNSET
    label_name: Text = UNSET
    playlist_type: Text = UNSET
    type: Annotated[str, msgspec.Meta(description="`playlist` or `album`")] | UnsetType = UNSET
    artwork_url: Url | UnsetType = UNSET
    created_at: Stamp | UnsetType = UNSET
    last_modified: Stamp | UnsetType = UNSET
    release_day: Count = UNSET
    release_month: Count = UNSET
    release_year: Count = UNSET
    sharing: Text = UNSET
    secret_token: Text = UNSET
    secret_uri: Text = UNSET
    duration: Annotated[int, msgspec.Meta(description="Duration in milliseconds")] | UnsetType = (
        UNSET
    )
    track_count: Count = UNSET
    likes_count: Count = UNSET
    reposts_count: Count = UNSET
    user_favorite: bool | UnsetType = UNSET
    tracks: list[Track] | UnsetType = UNSET
