"""The read side of the Tracks VAS: track reads and lists, and playback grants."""

from app.value_added.tracks.queries.streams import TrackStreams
from app.value_added.tracks.queries.tracks import TrackQueries, track_edges

__all__ = ["TrackQueries", "TrackStreams", "track_edges"]
