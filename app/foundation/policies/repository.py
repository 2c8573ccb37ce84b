"""Policies repository: the sharing/availability policy of each track."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncConnection

from app.foundation.db import table_of, utcnow
from app.foundation.policies.records import TrackPolicyRecord
from app.foundation.policies.tables import TrackPolicyRow
from app.foundation.query import fetch_all, in_request_order, select_records, unique

policies = table_of(TrackPolicyRow)


class PoliciesRepository:
    """Reads and writes of the `track_policies` table."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def get_many(self, track_ids: Sequence[int]) -> list[TrackPolicyRecord]:
        if not track_ids:
            return []
        stmt = select_records(policies, TrackPolicyRecord).where(
            policies.c.track_id.in_(unique(track_ids))
        )
        records = await fetch_all(self._conn, stmt, TrackPolicyRecord)
        return in_request_order(records, track_ids, key="track_id")

    async def get(self, track_id: int) -> TrackPolicyRecord | None:
        found = await self.get_many([track_id])
        return found[0] if found else None

    async def create(self, track_id: int, secret_token: str, values: dict[str, Any]) -> None:
        stmt = insert(policies).values(
            track_id=track_id, secret_token=secret_token, updated_at=utcnow(), **values
        )
        await self._conn.execute(stmt)

    async def create_many(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            await self._conn.execute(insert(policies), list(rows))

    async def update(self, track_id: int, changes: dict[str, Any]) -> TrackPolicyRecord | None:
        if changes:
            stmt = (
                update(policies)
                .where(policies.c.track_id == track_id)
                .values(**changes, updated_at=utcnow())
            )
            await self._conn.execute(stmt)
        return await self.get(track_id)
