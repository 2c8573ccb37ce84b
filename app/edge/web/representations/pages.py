"""api-v2 pages: the collection envelope, one per kind of item, and the items of activity
listings (play history, streams, likes) and of mixed results (search, resolve)."""

from __future__ import annotations

from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from app.edge.web.representations.base import Entity
from app.edge.web.representations.playlists import AlbumPlaylist, BasicAlbumPlaylist
from app.edge.web.representations.tracks import BasicTrack, Comment, Track
from app.edge.web.representations.users import BasicUser, User

CURSOR_PARAM = "offset"
"""api-v2 pages with `offset`: the client echoes whatever next_href carries."""

Resolved = User | Track | AlbumPlaylist
"""What a permalink names (and what a search finds): told apart by `kind`."""


class PlayedTrack(msgspec.Struct, gc=False):
    """An entry of the play history: when (milliseconds since the epoch) and what."""

    played_at: int | None
    track_id: int
    track: BasicTrack


class Reposted(msgspec.Struct, gc=False):
    target_urn: str
    user_urn: str
    caption: None


class StreamItem(msgspec.Struct, gc=False):
    """A post (`type` track, playlist) or a repost (track-repost, playlist-repost) by `user`:
    `track` or `playlist` is what was posted; a repost has `reposted`."""

    type: str
    created_at: str | None
    user: BasicUser | None
    uuid: str
    caption: None
    track: BasicTrack | UnsetType = UNSET
    playlist: BasicAlbumPlaylist | UnsetType = UNSET
    reposted: Reposted | UnsetType = UNSET


class Like(Entity, tag="like"):
    """A liked track or playlist (the playlist without its tracks), when it was liked."""

    created_at: str | None
    track: BasicTrack | UnsetType = UNSET
    playlist: BasicAlbumPlaylist | UnsetType = UNSET


class Collection(msgspec.Struct, kw_only=True, gc=False):
    """Every api-v2 list: a page of items and the absolute URL of the next page."""

    collection: list[Any]
    next_href: str | None
    query_urn: str | None = None


class UserCollection(Collection, kw_only=True):
    collection: list[User]


class BasicTrackCollection(Collection, kw_only=True):
    collection: list[BasicTrack]


class TrackCollection(Collection, kw_only=True):
    collection: list[Track]


class BasicAlbumPlaylistCollection(Collection, kw_only=True):
    collection: list[BasicAlbumPlaylist]


class AlbumPlaylistCollection(Collection, kw_only=True):
    collection: list[AlbumPlaylist]


class CommentCollection(Collection, kw_only=True):
    collection: list[Comment]


class PlayHistoryCollection(Collection, kw_only=True):
    collection: list[PlayedTrack]


class StreamCollection(Collection, kw_only=True):
    collection: list[StreamItem]


class LikeCollection(Collection, kw_only=True):
    collection: list[Like]


class SearchCollection(Collection, kw_only=True):
    """Users, tracks, playlists and albums on one page, told apart by `kind`."""

    collection: list[Resolved]
