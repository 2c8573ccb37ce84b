"""Plays repository: play and download events, listening history, daily aggregates, play queues."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, delete, func, insert, select

from app.foundation.bulk_insert import insert_tuples
from app.foundation.db import table_of, utcnow
from app.foundation.lazy import LazyConnection
from app.foundation.plays.records import DailyCount, PlayQueueRecord, PlayRecord
from app.foundation.plays.tables import DownloadRow, PlayQueueRow, PlayRow
from app.foundation.query import (
    Key,
    Page,
    fetch_page,
    insert_or_ignore,
    select_records,
    unique,
)

plays = table_of(PlayRow)
downloads = table_of(DownloadRow)
play_queues = table_of(PlayQueueRow)
PLAY_LOAD_COLUMNS = ("track_id", "user_id", "app_id", "territory", "played_at")


class PlaysRepository:
    """Writes of play/download events; history pages; per-day, per-territory aggregates."""

    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def record_play(
        self, track_id: int, user_id: int | None, app_id: int | None, territory: str | None
    ) -> None:
        await self._conn.execute(
            insert(plays).values(
                track_id=track_id,
                user_id=user_id,
                app_id=app_id,
                territory=territory,
                played_at=utcnow(),
            )
        )

    async def record_download(
        self,
        track_id: int,
        user_id: int | None,
        app_id: int | None,
        territory: str | None,
        grant_digest: str | None = None,
    ) -> bool:
        """Record one download; with `grant_digest`, only the first one of that grant (False:
        the grant was redeemed before and nothing was recorded)."""
        values = {
            "track_id": track_id,
            "user_id": user_id,
            "app_id": app_id,
            "territory": territory,
            "downloaded_at": utcnow(),
            "grant_digest": grant_digest,
        }
        stmt = insert_or_ignore(downloads, self._conn.dialect.name)
        result = await self._conn.execute(stmt, values)
        return bool(result.rowcount == 1)

    async def play_queue(self, user_id: int) -> PlayQueueRecord | None:
        q = play_queues.c
        stmt = select(
            q.track_ids, q.current_track_id, q.position_ms, q.changed_at, q.changed_by
        ).where(q.user_id == user_id)
        row = (await self._conn.execute(stmt)).one_or_none()
        if row is None:
            return None
        ids = tuple(int(t) for t in row.track_ids.split(",") if t)
        return PlayQueueRecord(
            user_id, ids, row.current_track_id, row.position_ms, row.changed_at, row.changed_by
        )

    async def save_play_queue(
        self,
        user_id: int,
        track_ids: Sequence[int],
        current_track_id: int | None,
        position_ms: int,
        changed_by: str,
    ) -> None:
        """Store (or replace) the user's play queue."""
        await self.delete_play_queue(user_id)
        await self._conn.execute(
            insert(play_queues).values(
                user_id=user_id,
                track_ids=",".join(str(t) for t in track_ids),
                current_track_id=current_track_id,
                position_ms=position_ms,
                changed_at=utcnow(),
                changed_by=changed_by,
            )
        )

    async def delete_play_queue(self, user_id: int) -> None:
        await self._conn.execute(delete(play_queues).where(play_queues.c.user_id == user_id))

    async def add_plays(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            await self._conn.execute(insert(plays), list(rows))

    async def load_plays(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Bulk insert of tuples in PLAY_LOAD_COLUMNS order (seeding; see foundation.bulk)."""
        await insert_tuples(self._conn, plays, PLAY_LOAD_COLUMNS, rows)

    async def count_plays(self) -> int:
        value = await self._conn.execute(select(func.count()).select_from(plays))
        return int(value.scalar_one())

    async def history(self, user_id: int, after: Key | None, limit: int) -> Page[PlayRecord]:
        stmt = select_records(plays, PlayRecord).where(plays.c.user_id == user_id)
        order = [plays.c.played_at, plays.c.id]
        return await fetch_page(self._conn, stmt, PlayRecord, order, after, limit)

    async def most_played_by(self, user_id: int, limit: int) -> list[tuple[int, int]]:
        """(track id, plays) of the tracks the user played most, most first."""
        count = func.count().label("n")
        stmt = (
            select(plays.c.track_id, count)
            .where(plays.c.user_id == user_id)
            .group_by(plays.c.track_id)
            .order_by(count.desc(), plays.c.track_id.desc())
            .limit(limit)
        )
        return [(int(t), int(n)) for t, n in await self._conn.execute(stmt)]

    async def daily_plays(
        self, track_ids: Sequence[int], start: dt.datetime, end: dt.datetime
    ) -> list[DailyCount]:
        return await self._daily(plays, plays.c.played_at, track_ids, start, end)

    async def daily_downloads(
        self, track_ids: Sequence[int], start: dt.datetime, end: dt.datetime
    ) -> list[DailyCount]:
        return await self._daily(downloads, downloads.c.downloaded_at, track_ids, start, end)

    async def _daily(
        self,
        table: Table,
        at: Any,
        track_ids: Sequence[int],
        start: dt.datetime,
        end: dt.datetime,
    ) -> list[DailyCount]:
        if not track_ids:
            return []
        if self._conn.dialect.name == "sqlite":
            day = func.date(at)
        else:
            day = func.date_trunc("day", func.timezone("UTC", at))
        stmt = (
            select(table.c.track_id, day.label("day"), table.c.territory, func.count())
            .where(table.c.track_id.in_(unique(track_ids)), at >= start, at < end)
            .group_by(table.c.track_id, day, table.c.territory)
            .order_by(table.c.track_id, day, table.c.territory)
        )
        result = await self._conn.execute(stmt)
        return [DailyCount(t, _as_date(d), terr, int(n)) for t, d, terr, n in result]


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
