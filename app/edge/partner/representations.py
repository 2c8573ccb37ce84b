"""The Partner API's external shapes: managed creators, tracks, playlists, audit entries and
insights, and the collection envelope of every list."""

from __future__ import annotations

import datetime as dt
from typing import Any, Generic, Literal, TypeVar

import msgspec

ItemT = TypeVar("ItemT")


class Collection(msgspec.Struct, Generic[ItemT], kw_only=True):
    """A page of items, and the link to the next page (null on the last)."""

    collection: list[ItemT]
    next_href: str | None = None


class PartnerCreator(msgspec.Struct, kw_only=True):
    kind: str = "creator"
    id: int
    uri: str
    username: str | None
    permalink: str | None
    full_name: str | None
    country: str | None
    track_count: int | None
    playlist_count: int | None


class Managed(msgspec.Struct, kw_only=True):
    """What every managed resource starts with: its kind, id, URI, owner and headline."""

    kind: str
    id: int
    uri: str
    user_id: int
    title: str
    permalink: str
    description: str


class PartnerMedia(msgspec.Struct, kw_only=True):
    state: str
    """When the track can be played: `none` (no audio was given), `processing`, `ready` or
    `failed` (as on every BFF)."""


class PartnerTrack(Managed, kw_only=True):
    """A managed track: metadata, its full policy (secret token included) and media state."""

    kind: str = "track"
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
    media: PartnerMedia


class PartnerPlaylist(Managed, kw_only=True):
    kind: str = "playlist"
    set_type: str
    sharing: str
    secret_token: str
    genre: str
    tag_list: str
    label_name: str
    release_date: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime


class AuditApp(msgspec.Struct, kw_only=True):
    """The app that made an audited write."""

    id: int
    name: str


class AuditedEntity(msgspec.Struct, kw_only=True):
    kind: Literal["track", "playlist"]
    id: int


class FieldChange(msgspec.Struct, kw_only=True):
    """A field's value before and after the write (null where it had none): whatever JSON value
    the field holds (a string, number, flag, date, list), so the schema leaves it open."""

    old: Any
    new: Any


class PartnerAuditEntry(msgspec.Struct, kw_only=True):
    id: int
    app: AuditApp
    actor_user_id: int | None
    creator_id: int
    entity: AuditedEntity
    action: Literal["create", "update", "delete", "upload", "policy"]
    changes: dict[str, FieldChange]
    """Each changed field, by name."""
    request_id: str | None
    created_at: dt.datetime


class InsightRowOut(msgspec.Struct, kw_only=True):
    track_id: int
    day: dt.date
    territory: str | None
    plays: int
    likes: int
    reposts: int
    downloads: int


class InsightTotalsOut(msgspec.Struct, kw_only=True):
    """The range's sums over every track and territory."""

    plays: int
    likes: int
    reposts: int
    downloads: int


class PartnerInsights(msgspec.Struct, kw_only=True):
    creator_id: int
    from_: dt.date = msgspec.field(name="from")
    to: dt.date
    totals: InsightTotalsOut
    collection: list[InsightRowOut]


CSV_COLUMNS = ("track_id", "day", "territory", "plays", "likes", "reposts", "downloads")
