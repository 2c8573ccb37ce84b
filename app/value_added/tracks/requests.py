"""Typed inputs of the Tracks VAS (msgspec Structs in, as the layers' contract says)."""

from __future__ import annotations

import datetime as dt

import msgspec

from app.value_added.access import Access


class TrackQuery(msgspec.Struct, frozen=True):
    """A catalog search; every filter is optional. `access` keeps only those access levels."""

    text: str | None = None
    ids: tuple[int, ...] | None = None
    genres: tuple[str, ...] | None = None
    tags: tuple[str, ...] | None = None
    bpm_from: float | None = None
    bpm_to: float | None = None
    duration_from_ms: int | None = None
    duration_to_ms: int | None = None
    created_from: dt.datetime | None = None
    created_to: dt.datetime | None = None
    user_id: int | None = None
    year_from: int | None = None
    year_to: int | None = None
    """Release year (of `release_date`, else of `created_at`) between these, inclusive."""
    access: frozenset[Access] = frozenset({"playable", "preview"})


class UserRef(msgspec.Struct, frozen=True):
    """A user who did something to an entity (liked, reposted), and when."""

    user_id: int
    at: dt.datetime


class Comment(msgspec.Struct, frozen=True):
    id: int
    track_id: int
    user_id: int
    body: str
    timestamp_ms: int | None
    created_at: dt.datetime


class DownloadGrant(msgspec.Struct, frozen=True):
    token: str
    expires_at: dt.datetime
    track_id: int


class Engagement(msgspec.Struct, frozen=True):
    """The result of a like/repost command: the viewer's state and the new count."""

    active: bool
    count: int
