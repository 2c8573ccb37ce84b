"""Records returned by the counters foundation service."""

from __future__ import annotations

import msgspec


class TrackCounts(msgspec.Struct, frozen=True):
    track_id: int
    likes: int = 0
    reposts: int = 0
    plays: int = 0
    comments: int = 0
    downloads: int = 0


class PlaylistCounts(msgspec.Struct, frozen=True):
    playlist_id: int
    likes: int = 0
    reposts: int = 0
    tracks: int = 0
    duration_ms: int = 0


class UserCounts(msgspec.Struct, frozen=True):
    user_id: int
    followers: int = 0
    followings: int = 0
    tracks: int = 0
    playlists: int = 0
    likes: int = 0
    playlist_likes: int = 0
    reposts: int = 0
    comments: int = 0
