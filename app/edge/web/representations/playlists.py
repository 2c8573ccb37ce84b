"""api-v2 playlists and albums: BasicAlbumPlaylist (owner as a BasicUser) and AlbumPlaylist."""

from __future__ import annotations

from typing import Literal

from msgspec import UNSET, UnsetType

from app.edge.web.representations.base import Entity
from app.edge.web.representations.tracks import BasicTrack
from app.edge.web.representations.users import BasicUser, User


class BasicAlbumPlaylist(Entity, tag="playlist"):
    """A playlist or album; without `tracks` where api-v2 has AlbumPlaylistNoTracks (likes)."""

    id: int
    urn: str | UnsetType = UNSET
    uri: str | UnsetType = UNSET
    user_id: int | UnsetType = UNSET
    title: str | UnsetType = UNSET
    permalink: str | UnsetType = UNSET
    permalink_url: str | UnsetType = UNSET
    description: str | UnsetType | None = UNSET
    set_type: str | UnsetType = UNSET
    is_album: bool | UnsetType = UNSET
    genre: str | UnsetType | None = UNSET
    tag_list: str | UnsetType = UNSET
    label_name: str | UnsetType | None = UNSET
    licence: Literal[None] | UnsetType = UNSET
    purchase_title: Literal[None] | UnsetType = UNSET
    purchase_url: Literal[None] | UnsetType = UNSET
    release_date: str | UnsetType | None = UNSET
    artwork_url: str | UnsetType | None = UNSET
    created_at: str | UnsetType | None = UNSET
    last_modified: str | UnsetType | None = UNSET
    display_date: str | UnsetType | None = UNSET
    published_at: str | UnsetType | None = UNSET
    sharing: str | UnsetType = UNSET
    public: bool | UnsetType = UNSET
    secret_token: str | UnsetType | None = UNSET
    embeddable_by: str | UnsetType = UNSET
    managed_by_feeds: bool | UnsetType = UNSET
    duration: int | UnsetType = UNSET
    track_count: int | UnsetType = UNSET
    likes_count: int | UnsetType = UNSET
    reposts_count: int | UnsetType = UNSET
    user_liked: bool | UnsetType = UNSET
    user_reposted: bool | UnsetType = UNSET
    tracks: list[BasicTrack] | UnsetType = UNSET
    user: BasicUser | UnsetType = UNSET


class AlbumPlaylist(BasicAlbumPlaylist, tag="playlist"):
    """A playlist whose owner comes with counts (search results, resolve)."""

    user: User | UnsetType = UNSET
