"""Tracks VAS (consumer domain): track aggregates per field mask, playback, and the commands of
listeners (like, repost, comment, play, download, save a play queue)."""

from app.value_added.common.edges import UserRef
from app.value_added.tracks.aggregates import (
    TRACK_PATHS,
    Comment,
    DownloadGrant,
    Engagement,
    Genre,
    PlayQueue,
    Track,
    TrackMedia,
    TrackPolicy,
    TrackStats,
    Transcoding,
    ViewerState,
)
from app.value_added.tracks.requests import PlayQueueDraft, TrackQuery
from app.value_added.tracks.service import TracksService

__all__ = [
    "TRACK_PATHS",
    "Comment",
    "DownloadGrant",
    "Engagement",
    "Genre",
    "PlayQueue",
    "PlayQueueDraft",
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
