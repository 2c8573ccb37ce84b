"""Records returned by the media foundation service."""

from __future__ import annotations

import datetime as dt

import msgspec


class MediaRecord(msgspec.Struct, frozen=True):
    id: int
    track_id: int
    original_key: str | None
    original_filename: str
    format: str
    content_type: str
    size_bytes: int
    duration_ms: int
    bitrate: int
    sample_rate: int
    channels: int
    status: str
    status_reason: str
    created_at: dt.datetime
    updated_at: dt.datetime


class TranscodingRecord(msgspec.Struct, frozen=True):
    id: int
    media_id: int
    kind: str
    storage_key: str
    content_type: str
    duration_ms: int
    created_at: dt.datetime


class MediaJobRecord(msgspec.Struct, frozen=True):
    id: int
    media_id: int
    status: str
    attempts: int
    locked_by: str | None
    locked_until: dt.datetime | None
    error: str
    created_at: dt.datetime
    updated_at: dt.datetime


class ArtworkRecord(msgspec.Struct, frozen=True):
    key: str
    content_type: str
    width: int
    height: int
    created_at: dt.datetime


class MediaDeletionRecord(msgspec.Struct, frozen=True):
    id: int
    storage_key: str
    attempts: int
