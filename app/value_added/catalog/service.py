"""The catalog rules as one object: the track and playlist commands every service shares."""

from __future__ import annotations

from app.value_added.catalog.commands import PlaylistCommands, TrackCommands
from app.value_added.common.deps import Deps


class CatalogService:
    """Built once by the composition root and handed to the Playlists VAS and the Creator
    gateway, which expose these commands (adding their own checks) but never re-implement them."""

    def __init__(self, deps: Deps) -> None:
        self.tracks = TrackCommands(deps)
        self.playlists = PlaylistCommands(deps)
