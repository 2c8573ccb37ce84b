"""The Creator domain gateway: one object for upload-side track and playlist work and insights."""

from __future__ import annotations

from app.value_added.common.deps import Deps
from app.value_added.creator.insights import CreatorInsights
from app.value_added.creator.playlist_commands import CreatorPlaylistCommands
from app.value_added.creator.track_commands import CreatorTrackCommands


class CreatorService(CreatorTrackCommands, CreatorPlaylistCommands, CreatorInsights):
    """What the creator-facing BFFs (web upload, partner API) call; every method takes a Viewer."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps
