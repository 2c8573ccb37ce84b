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


class PlayQueueDraft(msgspec.Struct, frozen=True):
    """What a music player saves of its queue (to pick it up on another device)."""

    track_ids: tuple[int, ...]
    """In order; each visible to the viewer. Empty: the saved queue is cleared."""
    current: int | None = None
    """The track playing, one of `track_ids`."""
    position_ms: int = 0
    """Where in the current track."""
    client: str = ""
    """The player that saved it (Subsonic's `c`), at most 100 characters."""
