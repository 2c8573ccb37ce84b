"""Records returned by the social foundation service."""

from __future__ import annotations

import datetime as dt

import msgspec


class EdgeRecord(msgspec.Struct, frozen=True):
    """A user→target relation (like, repost or follow) with its time."""

    user_id: int
    target_id: int
    created_at: dt.datetime


class DailyEdgeCount(msgspec.Struct, frozen=True):
    """How many edges (likes, reposts …) a target received on one UTC day."""

    target_id: int
    day: dt.date
    count: int


class CommentRecord(msgspec.Struct, frozen=True):
    id: int
    track_id: int
    user_id: int
    body: str
    timestamp_ms: int | None
    created_at: dt.datetime
