"""Playlists as the Mobile API shows them, with their visible tracks."""

from __future__ import annotations

import datetime as dt

from msgspec import UNSET, UnsetType

from app.edge.mobile.representations.base import EngagementState, Rep
from app.edge.mobile.representations.tracks import TrackRep
from app.edge.mobile.representations.users import UserCard


class PlaylistStatsRep(Rep):
    likes: int
    reposts: int
    tracks: int
    duration_ms: int


class PlaylistPolicyRep(Rep):
    sharing: str
    can_edit: bool
    secret_token: str | UnsetType | None = UNSET


class PlaylistRep(Rep):
    id: int
    user_id: int
    kind: str = "playlist"
    user: UserCard | UnsetType = UNSET
    title: str | UnsetType = UNSET
    permalink: str | UnsetType = UNSET
    description: str | UnsetType = UNSET
    set_type: str | UnsetType = UNSET
    genre: str | UnsetType = UNSET
    tag_list: str | UnsetType = UNSET
    label_name: str | UnsetType = UNSET
    release_date: dt.date | UnsetType | None = UNSET
    artwork_url: str | UnsetType | None = UNSET
    created_at: dt.datetime | UnsetType = UNSET
    updated_at: dt.datetime | UnsetType = UNSET
    policy: PlaylistPolicyRep | UnsetType = UNSET
    stats: PlaylistStatsRep | UnsetType = UNSET
    viewer: EngagementState | UnsetType = UNSET
    track_ids: list[int] | UnsetType = UNSET
    tracks: list[TrackRep] | UnsetType = UNSET
    """The tracks this viewer may see, in playlist order, each with its owner."""


class PlaylistCollection(Rep):
    collection: list[PlaylistRep]
    next_href: str | None
