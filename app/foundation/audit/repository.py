"""Audit repository: append entries and read one app's trail as keyset pages, newest first."""

from __future__ import annotations

import datetime as dt

import msgspec
from sqlalchemy import insert

from app.foundation.audit.records import AuditRecord, NewAuditEntry
from app.foundation.audit.tables import PartnerAuditRow
from app.foundation.db import table_of, utcnow
from app.foundation.lazy import LazyConnection
from app.foundation.query import Key, Page, columns_of, fetch_one, fetch_page, select_records

audit = table_of(PartnerAuditRow)
ORDER = [audit.c.created_at, audit.c.id]


class AuditRepository:
    """Append-only: there is no update or delete."""

    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def add(self, entry: NewAuditEntry) -> AuditRecord:
        values = msgspec.structs.asdict(entry) | {"created_at": utcnow()}
        stmt = insert(audit).values(values).returning(*columns_of(audit, AuditRecord))
        found = await fetch_one(self._conn, stmt, AuditRecord)
        assert found is not None
        return found

    async def by_app(
        self,
        app_id: int,
        since: dt.datetime | None,
        until: dt.datetime | None,
        after: Key | None,
        limit: int,
    ) -> Page[AuditRecord]:
        """The app's entries with since <= created_at < until, newest first."""
        stmt = select_records(audit, AuditRecord).where(audit.c.app_id == app_id)
        if since is not None:
            stmt = stmt.where(audit.c.created_at >= since)
        if until is not None:
            stmt = stmt.where(audit.c.created_at < until)
        return await fetch_page(self._conn, stmt, AuditRecord, ORDER, after, limit)
