"""The one authorization policy: who may see, play, download or change what."""

from app.value_added.access.enforce import (
    not_found,
    require,
    require_acting_for,
    require_comment_delete,
    require_managed_catalog,
    require_playlist_change,
    require_reachable,
    require_track_change,
)
from app.value_added.access.policy import (
    Access,
    TrackDecisions,
    can_comment,
    can_delete_comment,
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
    "can_delete_comment",
    "can_download",
    "can_edit_playlist",
    "can_edit_track",
    "can_stream",
    "decisions_for_visible",
    "has_plan",
    "not_found",
    "playlist_visible",
    "require",
    "require_acting_for",
    "require_comment_delete",
    "require_managed_catalog",
    "require_playlist_change",
    "require_reachable",
    "require_track_change",
    "track_access",
    "track_visible",
]
