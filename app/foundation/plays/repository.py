"""Plays repository: play and download events, listening history and daily aggregates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, func, insert, select

from app.foundation.bulk_insert import insert_tuples
from app.foundation.db import table_of, utcnow
from app.foundation.lazy import LazyConnection
from app.foundation.plays.records import DailyCount, PlayRecord
from app.foundation.plays.tables import DownloadRow, PlayRow
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
