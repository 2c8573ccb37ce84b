"""The Public API's representations, as SoundCloud's public API document names and types them."""

from app.edge.public.representations.base import CREATED, OK, Found, Rep, Status
from app.edge.public.representations.pages import (
    Activities,
    Activity,
    Comments,
    PlaylistListing,
    Playlists,
    TrackListing,
    Tracks,
    Users,
)
from app.edge.public.representations.playlists import Playlist
from app.edge.public.representations.tracks import (
    Comment,
    Storefront,
    Streams,
    Track,
    TrackMedia,
)
from app.edge.public.representations.users import Me, Person, Quota, User, WebProfile

__all__ = [
    "CREATED",
    "OK",
    "Activities",
    "Activity",
    "Comment",
    "Comments",
    "Found",
    "Me",
    "Person",
    "Playlist",
    "PlaylistListing",
    "Playlists",
    "Quota",
    "Rep",
    "Status",
    "Storefront",
    "Streams",
    "Track",
    "TrackListing",
    "TrackMedia",
    "Tracks",
    "User",
    "Users",
    "WebProfile",
]
