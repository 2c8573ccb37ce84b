"""The one authorization policy: who may see, play, download or change what."""

from app.value_added.access.policy import (
    Access,
    TrackDecisions,
    can_comment,
    can_download,
    can_edit_playlist,
    can_edit_track,
    can_stream,
    decisions_for_visible,
    has_plan,
    playlist_visible,
    track_access,
    track_visible,
)
from app.value_added.access.viewer import Viewer

__all__ = [
    "Access",
    "TrackDecisions",
    "Viewer",
    "can_comment",
    "can_download",
    "can_edit_playlist",
    "can_edit_track",
    "can_stream",
    "decisions_for_visible",
    "has_plan",
    "playlist_visible",
    "track_access",
    "track_visible",
]
