"""Records of the audit foundation service."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec


class NewAuditEntry(msgspec.Struct, frozen=True, kw_only=True):
    """An audit entry to append (the repository stamps id and created_at)."""

    app_id: int
    app_name: str
    actor_user_id: int | None
    creator_id: int
    entity_kind: str
    entity_id: int
    action: str
    changes: dict[str, Any]
    request_id: str | None = None


class AuditRecord(msgspec.Struct, frozen=True):
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
