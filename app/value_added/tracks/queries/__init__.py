"""The read side of the Tracks VAS: track reads and lists, playback grants, the catalogue as
music players browse it, and their saved play queues."""

from app.value_added.tracks.queries.catalogue import CatalogueQueries
from app.value_added.tracks.queries.play_queue import PlayQueueQueries
from app.value_added.tracks.queries.streams import TrackStreams
from app.value_added.tracks.queries.tracks import TrackQueries, track_edges

__all__ = ["CatalogueQueries", "PlayQueueQueries", "TrackQueries", "TrackStreams", "track_edges"]
