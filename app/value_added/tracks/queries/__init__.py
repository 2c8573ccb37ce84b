"""The read side of the Tracks VAS: track reads and lists, playback grants, and the catalogue as
music players browse it."""

from app.value_added.tracks.queries.catalogue import CatalogueQueries
from app.value_added.tracks.queries.streams import TrackStreams
from app.value_added.tracks.queries.tracks import TrackQueries, track_edges

__all__ = ["CatalogueQueries", "TrackQueries", "TrackStreams", "track_edges"]
