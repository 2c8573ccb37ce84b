"""What the catalog commands return: a track or playlist as its owner (or managing app) sees it."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import msgspec

from app.foundation.playlists.records import PlaylistRecord
from app.foundation.policies.records import TrackPolicyRecord
from app.foundation.tracks.records import TrackRecord

MediaState = Literal["none", "processing", "ready", "failed"]
MEDIA_STATES: dict[str, MediaState] = {
    "processing": "processing",
    "finished": "ready",
    "failed": "failed",
}
"""The stored media status -> the state every BFF shows (`none`: no audio was ever given)."""


def media_state(status: str | None) -> MediaState:
    """The state of a track's media from its stored status (None: the track has none)."""
    return "none" if status is None else MEDIA_STATES.get(status, "failed")


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
