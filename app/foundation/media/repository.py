"""Media repository: stored originals and their transcodings, by track."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from app.foundation.db import table_of, utcnow
from app.foundation.media.records import MediaRecord, TranscodingRecord
from app.foundation.media.tables import MediaRow, TranscodingRow
from app.foundation.query import fetch_all, in_request_order, select_records, unique

media = table_of(MediaRow)
transcodings = table_of(TranscodingRow)


class MediaRepository:
    """Reads and writes of `media` and `transcodings`."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def for_tracks(self, track_ids: Sequence[int]) -> list[MediaRecord]:
        if not track_ids:
            return []
        stmt = select_records(media, MediaRecord).where(media.c.track_id.in_(unique(track_ids)))
        return in_request_order(
            await fetch_all(self._conn, stmt, MediaRecord), track_ids, key="track_id"
        )

    async def transcodings_of(self, media_ids: Sequence[int]) -> list[TranscodingRecord]:
        if not media_ids:
            return []
        stmt = (
            select_records(transcodings, TranscodingRecord)
            .where(transcodings.c.media_id.in_(unique(media_ids)))
            .order_by(transcodings.c.media_id, transcodings.c.id)
        )
        return await fetch_all(self._conn, stmt, TranscodingRecord)

    async def create(self, track_id: int, values: dict[str, Any]) -> MediaRecord:
        now = utcnow()
        stmt = insert(media).values(track_id=track_id, created_at=now, updated_at=now, **values)
        await self._conn.execute(stmt)
        found = await self.for_tracks([track_id])
        return found[0]

    async def update(self, media_id: int, changes: dict[str, Any]) -> None:
        stmt = update(media).where(media.c.id == media_id).values(**changes, updated_at=utcnow())
        await self._conn.execute(stmt)

    async def add_transcoding(self, media_id: int, values: dict[str, Any]) -> None:
        await self._conn.execute(
            insert(transcodings).values(media_id=media_id, created_at=utcnow(), **values)
        )

    async def storage_keys_of_track(self, track_id: int) -> list[str]:
        """Every stored object of a track (original and transcodings), for deletion."""
        found = await self.for_tracks([track_id])
        if not found:
            return []
        keys = [found[0].original_key] if found[0].original_key else []
        stmt = select(transcodings.c.storage_key).where(transcodings.c.media_id == found[0].id)
        keys.extend((await self._conn.execute(stmt)).scalars())
        return [k for k in keys if k]
