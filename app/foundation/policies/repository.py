"""Policies repository: the sharing/availability policy of each track."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import String, cast, func, insert, select, update

from app.foundation.bulk_insert import insert_tuples
from app.foundation.cache import CacheSession, cached_records
from app.foundation.db import table_of, utcnow
from app.foundation.lazy import LazyConnection
from app.foundation.policies.records import TrackPolicyRecord
from app.foundation.policies.tables import TrackPolicyRow
from app.foundation.query import fetch_all, records_by_keys, select_records
from app.foundation.tracks.repository import SEARCH

policies = table_of(TrackPolicyRow)
POLICY_LOAD_COLUMNS = (
    "track_id", "sharing", "secret_token", "release_at", "territories", "streamable",
    "downloadable", "commentable", "monetization", "taken_down_at", "takedown_reason",
    "updated_at",
)  # fmt: skip


class PoliciesRepository:
    """Reads and writes of the `track_policies` table."""

    def __init__(self, conn: LazyConnection, cache: CacheSession) -> None:
        self._conn = conn
        self._cache = cache
        self._shared: dict[int, TrackPolicyRecord] = {}
        """Policies this transaction holds share-locked (PostgreSQL), as read then: nobody
        else can change them before it ends, and its own changes forget them."""

    async def get_many(self, track_ids: Sequence[int]) -> list[TrackPolicyRecord]:
        if not track_ids:
            return []
        shared = self._shared
        if shared and all(t in shared for t in track_ids):  # (held: as current as it gets)
            return list({t: shared[t] for t in track_ids}.values())
        return await cached_records(self._cache, "policy", track_ids, self._load, "track_id")

    async def _load(self, track_ids: list[Any]) -> list[TrackPolicyRecord]:
        return await records_by_keys(self._conn, policies, TrackPolicyRecord, "track_id", track_ids)

    async def locked(self, track_id: int, *, changing: bool) -> TrackPolicyRecord | None:
        """The policy as committed, its row locked until the transaction ends: shared by
        commands that count by it, exclusive (`changing`) for one about to change it; waits
        for the other kind. On SQLite (one write transaction at a time, the cache invalidated
        as the writer writes) the cached policy is that already."""
        found = await self.locked_many([track_id], changing=changing)
        return found[0] if found else None

    async def locked_many(
        self, track_ids: Sequence[int], *, changing: bool = False
    ) -> list[TrackPolicyRecord]:
        """`locked` for several tracks (rows locked in track id order)."""
        if self._conn.dialect.name == "sqlite" or not track_ids:
            return await self.get_many(track_ids)
        wanted = sorted(set(track_ids))
        if not changing and all(t in self._shared for t in wanted):
            return [self._shared[t] for t in wanted]
        stmt = (
            select_records(policies, TrackPolicyRecord)
            .where(policies.c.track_id.in_(wanted))
            .order_by(policies.c.track_id)
            .with_for_update(read=not changing)
        )
        found = await fetch_all(self._conn, stmt, TrackPolicyRecord)
        for record in found:
            if changing:
                self._shared.pop(record.track_id, None)
            else:
                self._shared[record.track_id] = record
        return found

    def hold(self, records: Sequence[TrackPolicyRecord]) -> None:
        """Policies this transaction has just share-locked (with other rows, in one statement:
        CountersRepository.lock), as read then: `locked_many` answers from them."""
        for record in records:
            self._shared[record.track_id] = record

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

    async def load_many(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Bulk insert of tuples in POLICY_LOAD_COLUMNS order (seeding; see foundation.bulk)."""
        await insert_tuples(self._conn, policies, POLICY_LOAD_COLUMNS, rows)

    async def update(self, track_id: int, changes: dict[str, Any]) -> TrackPolicyRecord | None:
        self._shared.pop(track_id, None)
        if changes:
            stmt = (
                update(policies)
                .where(policies.c.track_id == track_id)
                .values(**changes, updated_at=utcnow())
            )
            await self._conn.execute(stmt)
            self._cache.invalidate("policy", [track_id])
            self._cache.invalidate(SEARCH, ["*"])
        return await self.get(track_id)

    async def summary(self, now: dt.datetime) -> dict[str, int]:
        """How many tracks have each kind of restriction (seeding reports and checks)."""
        p = policies.c
        kinds = {
            "policies": p.track_id.is_not(None),
            "private": p.sharing == "private",
            "unreleased": p.release_at > now,
            # JSON None may be stored as SQL NULL or as the JSON literal null
            "territory_restricted": func.coalesce(cast(p.territories, String), "null") != "null",
            "premium": p.monetization == "premium",
            "taken_down": p.taken_down_at.is_not(None),
        }
        stmt = select(*[func.count().filter(cond) for cond in kinds.values()])
        row = (await self._conn.execute(stmt)).one()
        return {name: int(n) for name, n in zip(kinds, row, strict=True)}
