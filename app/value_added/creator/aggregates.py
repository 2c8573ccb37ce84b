"""Aggregates the Creator gateway returns: a creator's full view of tracks, playlists, insights."""

from __future__ import annotations

import datetime as dt

import msgspec

from app.foundation.playlists.records import PlaylistRecord
from app.foundation.policies.records import TrackPolicyRecord
from app.foundation.tracks.records import TrackRecord


class CreatorTrack(msgspec.Struct, frozen=True, kw_only=True):
    """A track as its owner (or a managing partner app) sees it: metadata and full policy."""

    id: int
    user_id: int
    title: str
    permalink: str
    description: str
    genre: str
    tag_list: str
    duration_ms: int
    bpm: float | None
    key_signature: str
    isrc: str | None
    license: str
    label_name: str
    purchase_url: str
    purchase_title: str
    release_date: dt.date | None
    artwork_key: str | None
    sharing: str
    secret_token: str
    release_at: dt.datetime | None
    territories: list[str] | None
    streamable: bool
    downloadable: bool
    commentable: bool
    monetization: str
    taken_down: bool
    takedown_reason: str
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, track: TrackRecord, policy: TrackPolicyRecord) -> CreatorTrack:
        """Assemble from the foundation records of one track."""
        meta = msgspec.structs.asdict(track)
        meta["updated_at"] = max(track.updated_at, policy.updated_at)
        return cls(
            **meta,
            sharing=policy.sharing,
            secret_token=policy.secret_token,
            release_at=policy.release_at,
            territories=list(policy.territories) if policy.territories is not None else None,
            streamable=policy.streamable,
            downloadable=policy.downloadable,
            commentable=policy.commentable,
            monetization=policy.monetization,
            taken_down=policy.taken_down_at is not None,
            takedown_reason=policy.takedown_reason,
        )


class CreatorPlaylist(msgspec.Struct, frozen=True, kw_only=True):
    """A playlist or album as its owner sees it, secret token included."""

    id: int
    user_id: int
    title: str
    permalink: str
    description: str
    set_type: str
    sharing: str
    secret_token: str
    genre: str
    tag_list: str
    label_name: str
    release_date: dt.date | None
    artwork_key: str | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, playlist: PlaylistRecord) -> CreatorPlaylist:
        return cls(**msgspec.structs.asdict(playlist))


class InsightRow(msgspec.Struct, frozen=True):
    """One track's activity on one UTC day in one territory.

    Likes and reposts carry no territory, so they are reported on the row whose territory is
    None (which also holds plays and downloads from an unknown territory).
    """

    track_id: int
    day: dt.date
    territory: str | None
    plays: int = 0
    likes: int = 0
    reposts: int = 0
    downloads: int = 0


class InsightTotals(msgspec.Struct, frozen=True):
    plays: int = 0
    likes: int = 0
    reposts: int = 0
    downloads: int = 0


class Insights(msgspec.Struct, frozen=True):
    """A creator's activity over [start, end] (inclusive UTC days).

    Rows are ordered by track, day and territory.
    """

    owner_id: int
    start: dt.date
    end: dt.date
    rows: list[InsightRow]
    totals: InsightTotals
