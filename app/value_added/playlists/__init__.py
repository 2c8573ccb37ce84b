"""Playlists VAS: playlist aggregates per field mask, releases (albums and singles) as players
see them, and playlist commands."""

from app.value_added.playlists.aggregates import (
    PLAYLIST_PATHS,
    Album,
    AlbumRef,
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
    "Album",
    "AlbumRef",
    "Playlist",
    "PlaylistChanges",
    "PlaylistDraft",
    "PlaylistPolicy",
    "PlaylistStats",
    "PlaylistViewerState",
    "PlaylistsService",
]
