"""Mappers from value-added aggregates to mobile representations (pure: no I/O, no rules)."""

from app.edge.mobile.mappers.common import ArtworkUrl
from app.edge.mobile.mappers.playlists import playlist
from app.edge.mobile.mappers.states import follow_state, like_state, repost_state
from app.edge.mobile.mappers.tracks import comment, own_track, track
from app.edge.mobile.mappers.users import user_card, user_fields

__all__ = [
    "ArtworkUrl",
    "comment",
    "follow_state",
    "like_state",
    "own_track",
    "playlist",
    "repost_state",
    "track",
    "user_card",
    "user_fields",
]
