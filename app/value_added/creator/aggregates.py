"""Aggregates the Creator gateway returns besides the catalog's: insights and audit entries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from app.foundation.audit.records import AuditRecord


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


class AuditEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One audited write; `changes` maps each changed field to {"old": …, "new": …}."""

    id: int
    app_id: int
    app_name: str
    actor_user_id: int | None
    creator_id: int
    entity_kind: str
    entity_id: int
    action: str
    changes: dict[str, Any]
    request_id: str | None
    created_at: dt.datetime

    @classmethod
    def of(cls, record: AuditRecord) -> AuditEntry:
        return cls(**msgspec.structs.asdict(record))
