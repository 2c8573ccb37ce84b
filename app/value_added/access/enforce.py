"""Policy decisions turned into the errors a caller sees: hidden is missing, visible is forbidden.

Every command that changes or acts on something the viewer may not be allowed to touch goes
through `require`: a thing the viewer may not see is NotFound, exactly as if it did not exist
(no leak through status codes or messages); a thing the viewer sees but may not change is
PermissionDenied.
"""

from __future__ import annotations

import datetime as dt

from app.foundation.playlists.records import PlaylistRecord
from app.foundation.policies.records import TrackPolicyRecord
from app.value_added.access.policy import (
    Access,
    can_delete_comment,
    can_edit_playlist,
    can_edit_track,
    playlist_visible,
    track_access,
    track_visible,
)
from app.value_added.access.viewer import Viewer
from app.value_added.common.errors import NotFound, PermissionDenied


def not_found(entity: str) -> NotFound:
    """The one error for a missing or hidden `entity` ('track', 'playlist', 'comment' …)."""
    return NotFound(f"{entity} not found")


def require(*, visible: bool, allowed: bool, entity: str, denied: str, reason: str) -> None:
    """NotFound unless the viewer may see the entity; PermissionDenied(`denied`, `reason`) when
    they see it but may not do this."""
    if not visible:
        raise not_found(entity)
    if not allowed:
        raise PermissionDenied(denied, reason=reason)


def require_track_change(
    viewer: Viewer, owner_id: int, policy: TrackPolicyRecord, now: dt.datetime
) -> None:
    """The viewer may change the track's metadata, policy or artwork, or delete it."""
    require(
        visible=track_visible(viewer, owner_id, policy, now),
        allowed=can_edit_track(viewer, owner_id),
        entity="track",
        denied="only the owner may change this track",
        reason="not_owner",
    )


def require_playlist_change(viewer: Viewer, playlist: PlaylistRecord) -> None:
    """The viewer may change the playlist's metadata, entries or artwork, or delete it."""
    require(
        visible=playlist_visible(viewer, playlist),
        allowed=can_edit_playlist(viewer, playlist),
        entity="playlist",
        denied="only the owner may change this playlist",
        reason="not_owner",
    )


def require_comment_delete(
    viewer: Viewer, author_id: int, owner_id: int, policy: TrackPolicyRecord, now: dt.datetime
) -> None:
    """The viewer may delete a comment by `author_id` on a track of `owner_id`; a comment on a
    track the viewer cannot see is as missing as the track."""
    require(
        visible=track_visible(viewer, owner_id, policy, now),
        allowed=can_delete_comment(viewer, author_id, owner_id),
        entity="comment",
        denied="only the author or the track owner may delete it",
        reason="not_author_or_owner",
    )


def require_reachable(
    viewer: Viewer, owner_id: int, policy: TrackPolicyRecord, now: dt.datetime
) -> Access:
    """The access level of a visible track, unless it is 'blocked' here (PermissionDenied)."""
    level = track_access(viewer, owner_id, policy, now)
    if level == "blocked":
        raise PermissionDenied("this track is not available here", reason="blocked")
    return level


def require_acting_for(viewer: Viewer, owner_id: int) -> None:
    """The viewer is the owner (signed in) or an app the owner granted management of their
    catalog: needed to create in, list all of, or read the statistics of `owner_id`'s catalog."""
    if not can_edit_track(viewer, owner_id):
        raise PermissionDenied(
            "you may not manage this creator's catalog", reason="not_owner_or_manager"
        )


def require_managed_catalog(viewer: Viewer, owner_id: int) -> None:
    """As require_acting_for, for a partner app addressing creators by id: a creator it does
    not manage does not exist for it (NotFound, no existence leak)."""
    if not can_edit_track(viewer, owner_id):
        raise not_found("user")
