"""The list shapes: `{collection, next_href}` pages of each kind, and the feed's activities."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import UNSET, UnsetType

from app.edge.public.representations.base import Rep, Stamp
from app.edge.public.representations.playlists import Playlist
from app.edge.public.representations.tracks import Comment, Track
from app.edge.public.representations.users import User

NextHref = (
    Annotated[str, msgspec.Meta(description="The next page (absent on the last one)")] | UnsetType
)


class Tracks(Rep, kw_only=True):
    collection: list[Track]
    next_href: NextHref = UNSET


class Playlists(Rep, kw_only=True):
    collection: list[Playlist]
    next_href: NextHref = UNSET


class Users(Rep, kw_only=True):
    collection: list[User]
    next_href: NextHref = UNSET


class Comments(Rep, kw_only=True):
    collection: list[Comment]
    next_href: NextHref = UNSET


class Activity(Rep, kw_only=True):
    """One item of the feed: a track, when it was posted."""

    type: Annotated[str, msgspec.Meta(description="Type of activity (`track`)")]
    created_at: Stamp
    origin: Track


class Activities(Rep, kw_only=True):
    collection: list[Activity]
    next_href: NextHref = UNSET


TrackListing = Tracks | list[Track]
"""A list of tracks: a page with `linked_partitioning=true`, else the (deprecated) array."""
PlaylistListing = Playlists | list[Playlist]
"""A list of playlists, alike."""
