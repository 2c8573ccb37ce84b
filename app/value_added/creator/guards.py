"""Authorization guards and naming helpers shared by the creator commands."""

from __future__ import annotations

import datetime as dt
import unicodedata

from app.foundation.playlists.records import PlaylistRecord
from app.foundation.policies.records import TrackPolicyRecord
from app.foundation.tracks.records import TrackRecord
from app.foundation.unit_of_work import UnitOfWork
from app.value_added import access
from app.value_added.access import Viewer
from app.value_added.common.errors import NotFound, PermissionDenied
from app.value_added.common.text import slugify

TRACK_NOT_FOUND = "track not found"
PLAYLIST_NOT_FOUND = "playlist not found"
MAX_PERMALINK = 255


def require_actor(viewer: Viewer, owner_id: int) -> None:
    """The viewer must be the owner (signed in) or a partner app the owner granted."""
    if not access.can_edit_track(viewer, owner_id):
        raise PermissionDenied(
            "you may not manage this creator's catalog", reason="not_owner_or_manager"
        )


async def require_owner_exists(uow: UnitOfWork, owner_id: int) -> None:
    if await uow.users.get(owner_id) is None:
        raise NotFound("user not found")


async def editable_track(
    uow: UnitOfWork, viewer: Viewer, track_id: int, now: dt.datetime
) -> tuple[TrackRecord, TrackPolicyRecord]:
    """The track and its policy when the viewer may edit it.

    Missing, or invisible to the viewer ⇒ NotFound (indistinguishable); visible but not
    editable ⇒ PermissionDenied.
    """
    track = await uow.tracks.get(track_id)
    policy = await uow.policies.get(track_id) if track is not None else None
    if track is None or policy is None:
        raise NotFound(TRACK_NOT_FOUND)
    if access.can_edit_track(viewer, track.user_id):
        return track, policy
    if access.track_visible(viewer, track.user_id, policy, now):
        raise PermissionDenied("only the owner may change this track", reason="not_owner")
    raise NotFound(TRACK_NOT_FOUND)


async def editable_playlist(uow: UnitOfWork, viewer: Viewer, playlist_id: int) -> PlaylistRecord:
    """The playlist (locked for update) when the viewer may edit it; same NotFound rule."""
    playlist = await uow.playlists.lock(playlist_id)
    if playlist is None:
        raise NotFound(PLAYLIST_NOT_FOUND)
    if access.can_edit_playlist(viewer, playlist):
        return playlist
    if access.playlist_visible(viewer, playlist):
        raise PermissionDenied("only the owner may change this playlist", reason="not_owner")
    raise NotFound(PLAYLIST_NOT_FOUND)


def permalink_base(title: str) -> str:
    """The slug of a title (accents folded to ASCII), short enough to take a `-N` suffix."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return slugify(ascii_title)[: MAX_PERMALINK - 12]


def free_permalink(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3` … — the first one not in `taken`."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
