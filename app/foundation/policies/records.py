"""Records returned by the policies foundation service."""

from __future__ import annotations

import datetime as dt

import msgspec


class TrackPolicyRecord(msgspec.Struct, frozen=True):
    track_id: int
    sharing: str
    """'public' or 'private'."""
    secret_token: str
    release_at: dt.datetime | None
    territories: list[str] | None
    """ISO 3166-1 alpha-2 codes the track may be played in; None means worldwide."""
    streamable: bool
    downloadable: bool
    commentable: bool
    monetization: str
    """'none' (free to all), 'premium' (full play needs a premium plan), 'blackbox'/'ad' etc."""
    taken_down_at: dt.datetime | None
    takedown_reason: str
    updated_at: dt.datetime
