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
    access: frozenset[Access] = frozenset({"playable", "preview"})
