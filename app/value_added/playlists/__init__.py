"""Playlists VAS: playlist/album aggregates per field mask, and playlist commands."""

from app.value_added.playlists.aggregates import (
    PLAYLIST_PATHS,
    Playlist,
    PlaylistChanges,
    PlaylistDraft,
    PlaylistPolicy,
    PlaylistStats,
    PlaylistViewerState,
)
from app.value_added.playlists.service import PlaylistsService

__all__ = [
    "PLAYLIST_PATHS",
    "Playlist",
    "PlaylistChanges",
    "PlaylistDraft",
    "PlaylistPolicy",
    "PlaylistStats",
    "PlaylistViewerState",
    "PlaylistsService",
]
