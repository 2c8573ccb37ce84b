"""Playlists VAS: playlist/album aggregates per field mask, playlist commands, likes, reposts,
and releases (albums and each artist's singles) as music players see them."""

from app.value_added.catalog import PlaylistChanges, PlaylistDraft
from app.value_added.playlists.aggregates import (
    PLAYLIST_PATHS,
    SINGLES_TITLE,
    Album,
    AlbumRef,
    Playlist,
    PlaylistPolicy,
    PlaylistStats,
    PlaylistViewerState,
)
from app.value_added.playlists.service import PlaylistsService

__all__ = [
    "PLAYLIST_PATHS",
    "SINGLES_TITLE",
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
