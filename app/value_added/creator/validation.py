"""Validation of creator drafts and changes: each failure is InvalidArgument naming its field."""

from __future__ import annotations

from typing import Any

import msgspec

from app.value_added.creator import checks
from app.value_added.creator.checks import Check

LICENSES = (
    "all-rights-reserved",
    "no-rights-reserved",
    "cc-by",
    "cc-by-nc",
    "cc-by-nd",
    "cc-by-sa",
    "cc-by-nc-nd",
    "cc-by-nc-sa",
)
SHARING = ("public", "private")
MONETIZATION = ("none", "premium", "ad")
SET_TYPES = ("playlist", "album", "ep", "single", "compilation")

TRACK_POLICY_FIELDS = frozenset(
    {"sharing", "release_at", "territories", "streamable", "downloadable", "commentable"}
    | {"monetization"}
)


TRACK_RULES: dict[str, Check] = {
    "title": checks.title,
    "description": checks.text(10_000),
    "genre": checks.text(100),
    "tag_list": checks.text(500),
    "duration_ms": checks.duration,
    "bpm": checks.bpm,
    "key_signature": checks.text(16),
    "isrc": checks.isrc,
    "license": checks.one_of(LICENSES),
    "label_name": checks.text(255),
    "purchase_url": checks.url,
    "purchase_title": checks.text(255),
    "release_date": checks.date,
    "sharing": checks.one_of(SHARING),
    "release_at": checks.moment,
    "territories": checks.territories,
    "streamable": checks.flag,
    "downloadable": checks.flag,
    "commentable": checks.flag,
    "monetization": checks.one_of(MONETIZATION),
}

PLAYLIST_RULES: dict[str, Check] = {
    "title": checks.title,
    "description": checks.text(5_000),
    "set_type": checks.one_of(SET_TYPES),
    "sharing": checks.one_of(SHARING),
    "genre": checks.text(100),
    "tag_list": checks.text(500),
    "label_name": checks.text(255),
    "release_date": checks.date,
}


def checked(struct: msgspec.Struct, rules: dict[str, Check]) -> dict[str, Any]:
    """The struct's set (non-UNSET) fields, validated and normalized, in declaration order."""
    values = msgspec.structs.asdict(struct)
    return {k: rules[k](k, v) for k, v in values.items() if v is not msgspec.UNSET}


def split_track_fields(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split validated track fields into (tracks table metadata, track_policies columns)."""
    meta = {k: v for k, v in values.items() if k not in TRACK_POLICY_FIELDS}
    policy = {k: v for k, v in values.items() if k in TRACK_POLICY_FIELDS}
    return meta, policy
