"""Records returned by the tracks foundation service."""

from __future__ import annotations

import datetime as dt

import msgspec


class TrackRecord(msgspec.Struct, frozen=True):
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
    created_at: dt.datetime
    updated_at: dt.datetime


class TrackSearch(msgspec.Struct, frozen=True):
    """Filters of a catalog search; every field is optional."""

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
