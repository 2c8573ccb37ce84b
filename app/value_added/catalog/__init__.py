"""Catalog rules: the one implementation of creating, changing and deleting tracks and playlists
(entries included) — validation, permalinks, authorization and the partner audit trail — shared
by the Playlists VAS and the Creator gateway, and the catalog as a viewer may see it."""

from app.value_added.catalog.aggregates import CreatorPlaylist, CreatorTrack
from app.value_added.catalog.commands import PlaylistCommands, TrackCommands
from app.value_added.catalog.commands.counting import (
    count_for_users,
    count_playlist_for_users,
    locked_class,
    user_deltas,
)
from app.value_added.catalog.queries import (
    Loaded,
    editable_playlist,
    editable_track,
    load_visible,
    load_visible_ids,
    resolve_permalinks,
    visible_track,
)
from app.value_added.catalog.requests import (
    AuditContext,
    PlaylistChanges,
    PlaylistDraft,
    TrackChanges,
    TrackDraft,
)
from app.value_added.catalog.service import CatalogService
from app.value_added.catalog.validation import LICENSES, MONETIZATION, SET_TYPES, SHARING

__all__ = [
    "LICENSES",
    "MONETIZATION",
    "SET_TYPES",
    "SHARING",
    "AuditContext",
    "CatalogService",
    "CreatorPlaylist",
    "CreatorTrack",
    "Loaded",
    "PlaylistChanges",
    "PlaylistCommands",
    "PlaylistDraft",
    "TrackChanges",
    "TrackCommands",
    "TrackDraft",
    "count_for_users",
    "count_playlist_for_users",
    "editable_playlist",
    "editable_track",
    "load_visible",
    "load_visible_ids",
    "locked_class",
    "resolve_permalinks",
    "user_deltas",
    "visible_track",
]
