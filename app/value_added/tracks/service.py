"""The Tracks VAS: queries and commands over tracks for the consumer domain."""

from __future__ import annotations

from app.value_added.common.deps import Deps
from app.value_added.tracks.commands import TrackCommands
from app.value_added.tracks.queries import TrackQueries
from app.value_added.tracks.streams import TrackStreams


class TracksService(TrackQueries, TrackCommands, TrackStreams):
    """One object a BFF holds for everything about tracks."""

    def __init__(self, deps: Deps) -> None:
        TrackQueries.__init__(self, deps)
        TrackCommands.__init__(self, deps)
