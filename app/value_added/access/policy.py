"""The authorization policy: pure functions deciding who may see, play, download or change what."""

from __future__ import annotations

import datetime as dt
from typing import Literal, NamedTuple

from app.foundation.cache import note_valid_until
from app.foundation.playlists.records import PlaylistRecord
from app.foundation.policies.records import TrackPolicyRecord
from app.value_added.access.viewer import Viewer
from app.value_added.common.secrets import same

Access = Literal["playable", "preview", "blocked"]

_PLAN_RANK = {"free": 0, "premium": 1}
_PLAN_NEEDED_FOR = {"premium": "premium"}
"""Monetization kind -> plan needed for a full play; kinds not listed are free to all."""


def has_plan(viewer: Viewer, plan: str) -> bool:
    """True when the viewer's plan is at least `plan`; anonymous viewers only have 'free'."""
    own = "free" if viewer.is_anonymous else viewer.plan
    needed = _PLAN_RANK.get(plan)
    return needed is not None and _PLAN_RANK.get(own, 0) >= needed


def _utc(moment: dt.datetime) -> dt.datetime:
    """Treat a naive datetime (as SQLite returns them) as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _live(policy: TrackPolicyRecord, now: dt.datetime) -> bool:
    """Released (release time passed or none) and not taken down."""
    if policy.release_at is not None and _utc(policy.release_at) > _utc(now):
        note_valid_until(_utc(policy.release_at))  # a response built now is stale from then
        return False
    return policy.taken_down_at is None


def _token_matches(expected: str, given: str | None) -> bool:
    """Constant-time comparison of a secret token; empty tokens never match."""
    if not given or not expected:
        return False
    return same(expected, given)


def _shared_with(sharing: str, expected: str, given: str | None) -> bool:
    """Public, or private and the request carries the secret token (unknown sharing: closed)."""
    if sharing == "public":
        return True
    return sharing == "private" and _token_matches(expected, given)


def track_visible(
    viewer: Viewer,
    owner_id: int,
    policy: TrackPolicyRecord,
    now: dt.datetime,
    secret_token: str | None = None,
) -> bool:
    """May the viewer know this track exists? Owners and managers see everything."""
    if viewer.acts_for(owner_id):
        return True
    return _shared_with(policy.sharing, policy.secret_token, secret_token) and _live(policy, now)


def track_access(
    viewer: Viewer, owner_id: int, policy: TrackPolicyRecord, now: dt.datetime
) -> Access:
    """How a (visible) track may be played: 'playable', 'preview' or 'blocked'."""
    if viewer.acts_for(owner_id):
        return "playable"
    if not policy.streamable:
        return "blocked"
    if policy.territories is not None and (
        viewer.territory is None or viewer.territory not in policy.territories
    ):
        return "blocked"
    needed = _PLAN_NEEDED_FOR.get(policy.monetization)
    if needed is not None and not has_plan(viewer, needed):
        return "preview"
    return "playable"


def can_stream(
    viewer: Viewer,
    owner_id: int,
    policy: TrackPolicyRecord,
    now: dt.datetime,
    full: bool,
    secret_token: str | None = None,
) -> bool:
    """May the viewer stream the track: fully (`full`) or at least its preview?"""
    if not track_visible(viewer, owner_id, policy, now, secret_token):
        return False
    access = track_access(viewer, owner_id, policy, now)
    return access == "playable" if full else access != "blocked"


class TrackDecisions(NamedTuple):
    """Every per-viewer decision about a track the viewer can see, computed in one pass."""

    access: Access
    can_download: bool
    can_comment: bool
    can_edit: bool


def decisions_for_visible(
    viewer: Viewer, owner_id: int, policy: TrackPolicyRecord, now: dt.datetime
) -> TrackDecisions:
    """The decisions for a track already known to be visible to the viewer (lists use this
    once per track instead of re-checking visibility for every decision)."""
    acts = viewer.acts_for(owner_id)
    access = track_access(viewer, owner_id, policy, now)
    reachable = access != "blocked"
    return TrackDecisions(
        access=access,
        can_download=acts or (policy.downloadable and reachable),
        can_comment=not viewer.is_anonymous and (policy.commentable or acts) and reachable,
        can_edit=can_edit_track(viewer, owner_id),
    )


def can_download(
    viewer: Viewer,
    owner_id: int,
    policy: TrackPolicyRecord,
    now: dt.datetime,
    secret_token: str | None = None,
) -> bool:
    """May the viewer download the original file?"""
    if not track_visible(viewer, owner_id, policy, now, secret_token):
        return False
    return decisions_for_visible(viewer, owner_id, policy, now).can_download


def can_comment(
    viewer: Viewer,
    owner_id: int,
    policy: TrackPolicyRecord,
    now: dt.datetime,
    secret_token: str | None = None,
) -> bool:
    """May the viewer post a timed comment? Needs a signed-in user."""
    if not track_visible(viewer, owner_id, policy, now, secret_token):
        return False
    return decisions_for_visible(viewer, owner_id, policy, now).can_comment


def can_edit_track(viewer: Viewer, owner_id: int) -> bool:
    """May the viewer change the track's metadata or policy (owner user or managing app)?"""
    is_owner = viewer.user_id is not None and viewer.user_id == owner_id
    return is_owner or viewer.manages(owner_id)


def can_delete_comment(viewer: Viewer, author_id: int, owner_id: int) -> bool:
    """May the viewer delete a comment: its signed-in author, or whoever may edit the track?"""
    is_author = viewer.user_id is not None and viewer.user_id == author_id
    return is_author or can_edit_track(viewer, owner_id)


def playlist_visible(
    viewer: Viewer, playlist: PlaylistRecord, secret_token: str | None = None
) -> bool:
    """May the viewer know this playlist exists? (Its tracks are filtered separately.)"""
    if viewer.acts_for(playlist.user_id):
        return True
    return _shared_with(playlist.sharing, playlist.secret_token, secret_token)


def can_edit_playlist(viewer: Viewer, playlist: PlaylistRecord) -> bool:
    """May the viewer change the playlist (owner user or managing app)?"""
    return can_edit_track(viewer, playlist.user_id)


class Counted(NamedTuple):
    """How a track counts in the counts of others' lists (a user's tracks, likes, reposts,
    comments; a playlist's entries): for everyone now, or from `public_at` on by itself."""

    public: bool
    public_at: dt.datetime | None


def counted_publicly(policy: TrackPolicyRecord, now: dt.datetime) -> Counted:
    """Does every viewer list the track now (public, released, not taken down: what
    `track_visible` says to a viewer who does not act for the owner and has no secret token,
    as lists never carry one)? If not, whether a scheduled release makes it so, and when."""
    if policy.sharing != "public" or policy.taken_down_at is not None:
        return Counted(False, None)
    if policy.release_at is not None and _utc(policy.release_at) > _utc(now):
        return Counted(False, _utc(policy.release_at))
    return Counted(True, None)


def playlist_counted_publicly(playlist: PlaylistRecord) -> bool:
    """Does every viewer list the playlist (public)? Owners list their private ones too."""
    return playlist.sharing == "public"


def sees_owner_counts(viewer: Viewer, owner_id: int) -> bool:
    """Does the viewer get the owner's counts of a user's or playlist's lists (their own hidden
    tracks and playlists counted, and how many are private), or the counts everyone gets?"""
    return viewer.acts_for(owner_id)
