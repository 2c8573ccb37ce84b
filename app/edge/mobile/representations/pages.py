"""Composite documents: a profile page and search results of every kind."""

from __future__ import annotations

from msgspec import UNSET, UnsetType

from app.edge.mobile.representations.base import Rep
from app.edge.mobile.representations.playlists import PlaylistCollection, PlaylistRep
from app.edge.mobile.representations.tracks import TrackCollection, TrackRep
from app.edge.mobile.representations.users import UserCard, UserCollection


class ProfileRep(UserCard):
    """A user's profile page in one response: the card plus latest tracks and playlists."""

    top_tracks: list[TrackRep] | UnsetType = UNSET
    playlists: list[PlaylistRep] | UnsetType = UNSET


class SearchResults(Rep):
    """`kind=all`: the first page of each kind, each with its own next_href."""

    tracks: TrackCollection
    users: UserCollection
    playlists: PlaylistCollection
