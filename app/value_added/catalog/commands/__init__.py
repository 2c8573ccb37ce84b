"""The write side of the catalog: track and playlist commands and the audit trail they write."""

from app.value_added.catalog.commands.playlists import PlaylistCommands
from app.value_added.catalog.commands.tracks import TrackCommands

__all__ = ["PlaylistCommands", "TrackCommands"]
