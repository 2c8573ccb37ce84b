"""Typed inputs of the catalog commands: track and playlist drafts and changes, audit context,
and each field's rule as a strict decoder declares it (the field types below)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec
from msgspec import UNSET, Meta, UnsetType

from app.value_added.catalog.validation import (
    ISO_ALPHA2,
    ISRC_PATTERN,
    MAX_DURATION_MS,
    MAX_URL,
    NOT_BLANK,
    URL_PATTERN,
)

# The rules of validation.py as msgspec constraints: a body Struct typed with them is refused
# at decoding exactly where the rule would refuse it, and its JSON Schema states the rule.
Title = Annotated[str, Meta(max_length=255, pattern=NOT_BLANK, description="not blank")]
TrackDescription = Annotated[str, Meta(max_length=10_000)]
PlaylistDescription = Annotated[str, Meta(max_length=5_000)]
Genre = Annotated[str, Meta(max_length=100)]
TagList = Annotated[str, Meta(max_length=500)]
KeySignature = Annotated[str, Meta(max_length=16)]
ShortText = Annotated[str, Meta(max_length=255)]
"""A label name, a purchase link's title."""
DurationMs = Annotated[int, Meta(ge=0, le=MAX_DURATION_MS)]
Bpm = Annotated[float, Meta(gt=0, le=999)]
Isrc = Annotated[str, Meta(pattern=ISRC_PATTERN, description="e.g. USRC17607839")]
PurchaseUrl = Annotated[
    str, Meta(max_length=MAX_URL, pattern=f"^({URL_PATTERN})?$", description="http(s), or empty")
]
ReleaseAt = Annotated[dt.datetime, Meta(tz=True)]


def _any_case(letters: str) -> str:
    return "[" + "".join(c + c.lower() for c in sorted(letters)) + "]"


def _territory_pattern() -> str:
    """ISO 3166-1 alpha-2 codes in any case (the catalog upper-cases them), as one pattern of
    second letters by first letter: a schema clients and fuzzers read at once, where an enum of
    every code in both cases is ~500 values to enumerate."""
    seconds: dict[str, str] = {}
    for code in sorted(ISO_ALPHA2):
        seconds[code[0]] = seconds.get(code[0], "") + code[1]
    return "^(?:" + "|".join(_any_case(a) + _any_case(b) for a, b in seconds.items()) + ")$"


TERRITORY_PATTERN = _territory_pattern()
Territory = Annotated[
    str, Meta(pattern=TERRITORY_PATTERN, description="ISO 3166-1 alpha-2 (either case)")
]


class TrackDraft(msgspec.Struct, frozen=True, kw_only=True):
    """A new track's metadata and policy; only `title` is required."""

    title: str
    description: str = ""
    genre: str = ""
    tag_list: str = ""
    duration_ms: int = 0
    bpm: float | None = None
    key_signature: str = ""
    isrc: str | None = None
    license: str = "all-rights-reserved"
    label_name: str = ""
    purchase_url: str = ""
    purchase_title: str = ""
    release_date: dt.date | None = None
    sharing: str = "public"
    release_at: dt.datetime | None = None
    territories: list[str] | None = None
    streamable: bool = True
    downloadable: bool = False
    commentable: bool = True
    monetization: str = "none"


class TrackChanges(msgspec.Struct, frozen=True, kw_only=True):
    """Changes to a track: UNSET leaves a field as it is, None clears a nullable one."""

    title: str | UnsetType = UNSET
    description: str | UnsetType = UNSET
    genre: str | UnsetType = UNSET
    tag_list: str | UnsetType = UNSET
    duration_ms: int | UnsetType = UNSET
    bpm: float | UnsetType | None = UNSET
    key_signature: str | UnsetType = UNSET
    isrc: str | UnsetType | None = UNSET
    license: str | UnsetType = UNSET
    label_name: str | UnsetType = UNSET
    purchase_url: str | UnsetType = UNSET
    purchase_title: str | UnsetType = UNSET
    release_date: dt.date | UnsetType | None = UNSET
    sharing: str | UnsetType = UNSET
    release_at: dt.datetime | UnsetType | None = UNSET
    territories: list[str] | UnsetType | None = UNSET
    streamable: bool | UnsetType = UNSET
    downloadable: bool | UnsetType = UNSET
    commentable: bool | UnsetType = UNSET
    monetization: str | UnsetType = UNSET


class PlaylistDraft(msgspec.Struct, frozen=True, kw_only=True):
    """A new playlist or album (set_type 'album'), optionally with its first tracks."""

    title: str
    description: str = ""
    set_type: str = "playlist"
    sharing: str = "public"
    genre: str = ""
    tag_list: str = ""
    label_name: str = ""
    release_date: dt.date | None = None
    track_ids: tuple[int, ...] = ()
    """Tracks to add, in order; each must be visible to the creating viewer."""


class PlaylistChanges(msgspec.Struct, frozen=True, kw_only=True):
    """Changes to a playlist: UNSET leaves a field as it is."""

    title: str | UnsetType = UNSET
    description: str | UnsetType = UNSET
    set_type: str | UnsetType = UNSET
    sharing: str | UnsetType = UNSET
    genre: str | UnsetType = UNSET
    tag_list: str | UnsetType = UNSET
    label_name: str | UnsetType = UNSET
    release_date: dt.date | UnsetType | None = UNSET


class AuditContext(msgspec.Struct, frozen=True, kw_only=True):
    """Who is writing, as the edge knows it: app id and name, the token's user, the request."""

    app_id: int
    app_name: str
    actor_user_id: int | None = None
    request_id: str | None = None
