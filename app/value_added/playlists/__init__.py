"""Playlists VAS: playlist/album aggregates per field mask, playlist commands, likes, reposts."""

from app.value_added.catalog import PlaylistChanges, PlaylistDraft
from app.value_added.playlists.aggregates import (
    PLAYLIST_PATHS,
    Playlist,
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
