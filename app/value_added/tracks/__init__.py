"""Tracks VAS (consumer domain): track aggregates per field mask, and track commands."""

from app.value_added.tracks.aggregates import (
    TRACK_PATHS,
    Genre,
    Track,
    TrackMedia,
    TrackPolicy,
    TrackStats,
    Transcoding,
    ViewerState,
)
from app.value_added.tracks.requests import Comment, DownloadGrant, Engagement, TrackQuery, UserRef
from app.value_added.tracks.service import TracksService

__all__ = [
    "TRACK_PATHS",
    "Comment",
    "DownloadGrant",
    "Engagement",
    "Genre",
    "Track",
    "TrackMedia",
    "TrackPolicy",
    "TrackQuery",
    "TrackStats",
    "TracksService",
    "Transcoding",
    "UserRef",
    "ViewerState",
]
