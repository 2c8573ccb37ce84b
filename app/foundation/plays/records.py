"""Records returned by the plays foundation service."""

from __future__ import annotations

import datetime as dt

import msgspec


class PlayRecord(msgspec.Struct, frozen=True):
    id: int
    track_id: int
    user_id: int | None
    app_id: int | None
    territory: str | None
    played_at: dt.datetime


class DailyCount(msgspec.Struct, frozen=True):
    """How many events of one kind a track had on one day in one territory."""

    track_id: int
    day: dt.date
    territory: str | None
    count: int


class PlayQueueRecord(msgspec.Struct, frozen=True):
    """A user's saved play queue."""

    user_id: int
    track_ids: tuple[int, ...]
    current_track_id: int | None
    position_ms: int
    changed_at: dt.datetime
    changed_by: str
