"""Media repository: stored originals and their transcodings, by track."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, update

from app.foundation.cache import CacheSession
from app.foundation.db import table_of, utcnow
from app.foundation.lazy import LazyConnection
from app.foundation.media.records import (
    ArtworkRecord,
    MediaDeletionRecord,
    MediaJobRecord,
    MediaRecord,
    TranscodingRecord,
)
from app.foundation.media.tables import (
    ArtworkRow,
    MediaDeletionRow,
    MediaJobRow,
    MediaRow,
    TranscodingRow,
)
from app.foundation.query import fetch_all, fetch_one, records_by_keys, select_records
from app.foundation.tracks.tables import TrackRow

media = table_of(MediaRow)
transcodings = table_of(TranscodingRow)
media_jobs = table_of(MediaJobRow)
artworks = table_of(ArtworkRow)
deletions = table_of(MediaDeletionRow)
tracks = table_of(TrackRow)


class MediaRepository:
    """Reads and writes of `media`, `transcodings`, `media_jobs` (a leased job queue),
    `artworks` and `media_deletions` (a leased queue of stored objects to delete)."""

    def __init__(self, conn: LazyConnection, cache: CacheSession) -> None:
        self._conn = conn
        self._cache = cache

    async def for_tracks(self, track_ids: Sequence[int]) -> list[MediaRecord]:
        """Media of the tracks that have any (most catalog reads: none, cached as such)."""
        if not track_ids:
            return []
        found = await self._cache.read_through("media", track_ids, self._load, negative=True)
        return [found[t] for t in dict.fromkeys(track_ids) if t in found]

    async def _load(self, track_ids: list[Any]) -> dict[Any, MediaRecord]:
        found = await records_by_keys(self._conn, media, MediaRecord, "track_id", track_ids)
        return {m.track_id: m for m in found}

    async def transcodings_of(self, media_ids: Sequence[int]) -> list[TranscodingRecord]:
        if not media_ids:
            return []
        found = await self._cache.read_through(
            "transcodings", media_ids, self._load_transcodings, negative=True
        )
        return [t for m in dict.fromkeys(media_ids) for t in found.get(m, ())]

    async def _load_transcodings(self, media_ids: list[Any]) -> dict[Any, list[TranscodingRecord]]:
        stmt = (
            select_records(transcodings, TranscodingRecord)
            .where(transcodings.c.media_id.in_(media_ids))
            .order_by(transcodings.c.media_id, transcodings.c.id)
        )
        grouped: dict[Any, list[TranscodingRecord]] = {}
        for t in await fetch_all(self._conn, stmt, TranscodingRecord):
            grouped.setdefault(t.media_id, []).append(t)
        return grouped

    async def create(self, track_id: int, values: dict[str, Any]) -> MediaRecord:
        now = utcnow()
        stmt = insert(media).values(track_id=track_id, created_at=now, updated_at=now, **values)
        await self._conn.execute(stmt)
        self._cache.invalidate("media", [track_id])
        found = await self.for_tracks([track_id])
        return found[0]

    async def create_many(self, rows: Sequence[dict[str, Any]]) -> dict[int, int]:
        """Media rows in one statement (each names its `track_id`); returns track id → media id."""
        if not rows:
            return {}
        now = utcnow()
        await self._conn.execute(
            insert(media), [{**row, "created_at": now, "updated_at": now} for row in rows]
        )
        ids = [int(row["track_id"]) for row in rows]
        self._cache.invalidate("media", ids)
        stmt = select(media.c.track_id, media.c.id).where(media.c.track_id.in_(ids))
        return {int(t): int(m) for t, m in await self._conn.execute(stmt)}

    async def add_transcodings(self, rows: Sequence[dict[str, Any]]) -> None:
        """Transcoding rows in one statement (each names its `media_id`)."""
        if rows:
            now = utcnow()
            await self._conn.execute(insert(transcodings), [{**r, "created_at": now} for r in rows])
            self._cache.invalidate("transcodings", sorted({int(r["media_id"]) for r in rows}))

    async def update(self, media_id: int, changes: dict[str, Any]) -> None:
        stmt = (
            update(media)
            .where(media.c.id == media_id)
            .values(**changes, updated_at=utcnow())
            .returning(media.c.track_id)
        )
        self._cache.invalidate("media", (await self._conn.execute(stmt)).scalars().all())

    async def add_transcoding(self, media_id: int, values: dict[str, Any]) -> None:
        await self._conn.execute(
            insert(transcodings).values(media_id=media_id, created_at=utcnow(), **values)
        )
        self._cache.invalidate("transcodings", [media_id])

    async def storage_keys_of_track(self, track_id: int) -> list[str]:
        """Every stored object of a track (original and transcodings), for deletion."""
        found = await self.for_tracks([track_id])
        if not found:
            return []
        keys = [found[0].original_key] if found[0].original_key else []
        stmt = select(transcodings.c.storage_key).where(transcodings.c.media_id == found[0].id)
        keys.extend((await self._conn.execute(stmt)).scalars())
        return [k for k in keys if k]

    async def get(self, media_id: int) -> MediaRecord | None:
        return await fetch_one(
            self._conn,
            select_records(media, MediaRecord).where(media.c.id == media_id),
            MediaRecord,
        )

    async def replace_transcodings(self, media_id: int, rows: Sequence[dict[str, Any]]) -> None:
        """Swap the media's transcodings for `rows` (a re-run after a crash replaces, not adds)."""
        self._cache.invalidate("transcodings", [media_id])
        await self._conn.execute(delete(transcodings).where(transcodings.c.media_id == media_id))
        now = utcnow()
        for row in rows:
            await self._conn.execute(
                insert(transcodings).values(media_id=media_id, created_at=now, **row)
            )

    async def duration_used_by(self, user_id: int) -> int:
        """Milliseconds of audio the user has uploaded (failed uploads do not count)."""
        stmt = (
            select(func.coalesce(func.sum(media.c.duration_ms), 0))
            .select_from(media.join(tracks, tracks.c.id == media.c.track_id))
            .where(tracks.c.user_id == user_id, media.c.status != "failed")
        )
        return int((await self._conn.execute(stmt)).scalar_one())

    # ------------------------------------------------------------------ job queue

    async def enqueue_job(self, media_id: int) -> int:
        now = utcnow()
        result = await self._conn.execute(
            insert(media_jobs)
            .values(media_id=media_id, status="queued", attempts=0, error="")
            .values(created_at=now, updated_at=now)
        )
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])

    @staticmethod
    def _due(now: dt.datetime) -> Any:
        """Queued jobs whose back-off passed, and running jobs whose lease expired."""
        return and_(
            media_jobs.c.status.in_(("queued", "running")),
            or_(media_jobs.c.locked_until.is_(None), media_jobs.c.locked_until <= now),
        )

    async def next_due_job(self, now: dt.datetime) -> int | None:
        """The oldest claimable job id (a cheap read before taking the write lock)."""
        stmt = select(media_jobs.c.id).where(self._due(now)).order_by(media_jobs.c.id).limit(1)
        found: int | None = (await self._conn.execute(stmt)).scalar_one_or_none()
        return found

    async def claim_job(
        self, job_id: int, worker: str, now: dt.datetime, lease_until: dt.datetime
    ) -> MediaJobRecord | None:
        """Compare-and-set claim: only one worker wins a due job (on SQLite and PostgreSQL)."""
        result = await self._conn.execute(
            update(media_jobs)
            .where(media_jobs.c.id == job_id, self._due(now))
            .values(
                status="running",
                locked_by=worker,
                locked_until=lease_until,
                attempts=media_jobs.c.attempts + 1,
                updated_at=now,
            )
        )
        if result.rowcount != 1:
            return None
        return await self.job(job_id)

    async def extend_lease(self, job_id: int, worker: str, lease_until: dt.datetime) -> bool:
        """Heartbeat: keep the lease while still owning it (False: it was taken over)."""
        result = await self._conn.execute(
            update(media_jobs)
            .where(
                media_jobs.c.id == job_id,
                media_jobs.c.locked_by == worker,
                media_jobs.c.status == "running",
            )
            .values(locked_until=lease_until, updated_at=utcnow())
        )
        return bool(result.rowcount == 1)

    async def finish_job(
        self,
        job_id: int,
        worker: str,
        status: str,
        error: str = "",
        retry_at: dt.datetime | None = None,
    ) -> bool:
        """Set the job's outcome (`done`, `failed`, or `queued` again with a back-off)."""
        result = await self._conn.execute(
            update(media_jobs)
            .where(media_jobs.c.id == job_id, media_jobs.c.locked_by == worker)
            .values(
                status=status,
                error=error[:500],
                locked_by=None,
                locked_until=retry_at,
                updated_at=utcnow(),
            )
        )
        return bool(result.rowcount == 1)

    async def job_counts(self) -> dict[str, int]:
        stmt = select(media_jobs.c.status, func.count()).group_by(media_jobs.c.status)
        return {str(status): int(n) for status, n in (await self._conn.execute(stmt)).all()}

    async def requeue_failed(self, now: dt.datetime) -> list[int]:
        """Failed jobs back to the queue with their attempts reset (an operator's retry);
        returns the ids of their media."""
        failed = media_jobs.c.status == "failed"
        stmt = select(media_jobs.c.media_id).where(failed)
        media_ids = [int(i) for i in (await self._conn.execute(stmt)).scalars().all()]
        await self._conn.execute(
            update(media_jobs)
            .where(failed)
            .values(status="queued", attempts=0, locked_by=None, locked_until=None, updated_at=now)
        )
        return media_ids

    async def job(self, job_id: int) -> MediaJobRecord | None:
        stmt = select_records(media_jobs, MediaJobRecord).where(media_jobs.c.id == job_id)
        return await fetch_one(self._conn, stmt, MediaJobRecord)

    async def jobs_of(self, media_id: int) -> list[MediaJobRecord]:
        stmt = (
            select_records(media_jobs, MediaJobRecord)
            .where(media_jobs.c.media_id == media_id)
            .order_by(media_jobs.c.id)
        )
        return await fetch_all(self._conn, stmt, MediaJobRecord)

    # ------------------------------------------------------------------ artworks

    async def add_artwork(self, key: str, content_type: str, width: int, height: int) -> None:
        await self._conn.execute(
            insert(artworks).values(
                key=key, content_type=content_type, width=width, height=height, created_at=utcnow()
            )
        )

    async def add_artworks(self, rows: Sequence[dict[str, Any]]) -> None:
        """Artwork rows (key, content_type, width, height) in one statement."""
        if rows:
            now = utcnow()
            await self._conn.execute(insert(artworks), [{**r, "created_at": now} for r in rows])

    async def artwork(self, key: str) -> ArtworkRecord | None:
        stmt = select_records(artworks, ArtworkRecord).where(artworks.c.key == key)
        return await fetch_one(self._conn, stmt, ArtworkRecord)

    async def delete_artwork(self, key: str) -> None:
        await self._conn.execute(delete(artworks).where(artworks.c.key == key))

    # ------------------------------------------------------------------ deletion queue

    async def queue_deletions(self, keys: Sequence[str], due_at: dt.datetime) -> None:
        """Queue stored objects (and their children) for deletion, in this transaction."""
        if not keys:
            return
        now = utcnow()
        rows = [
            {"storage_key": k, "attempts": 0, "due_at": due_at, "error": "", "created_at": now}
            for k in dict.fromkeys(keys)
        ]
        await self._conn.execute(insert(deletions), rows)

    async def claim_deletions(
        self, now: dt.datetime, lease_until: dt.datetime, limit: int
    ) -> list[MediaDeletionRecord]:
        """Take up to `limit` due deletions: their `due_at` moves to `lease_until`, so another
        worker skips them, and comes round again if this one dies before finishing."""
        due = select(deletions.c.id).where(deletions.c.due_at <= now)
        ids = list((await self._conn.execute(due.order_by(deletions.c.id).limit(limit))).scalars())
        if not ids:
            return []
        stmt = (
            update(deletions)
            .where(deletions.c.id.in_(ids), deletions.c.due_at <= now)
            .values(due_at=lease_until, attempts=deletions.c.attempts + 1)
            .returning(deletions.c.id, deletions.c.storage_key, deletions.c.attempts)
        )
        claimed = (await self._conn.execute(stmt)).all()
        return sorted((MediaDeletionRecord(*row) for row in claimed), key=lambda r: r.id)

    async def finish_deletions(self, ids: Sequence[int]) -> None:
        if ids:
            await self._conn.execute(delete(deletions).where(deletions.c.id.in_(list(ids))))

    async def retry_deletion(self, deletion_id: int, due_at: dt.datetime, error: str) -> None:
        await self._conn.execute(
            update(deletions)
            .where(deletions.c.id == deletion_id)
            .values(due_at=due_at, error=error[:255])
        )

    async def pending_deletions(self) -> list[str]:
        """The keys still queued (operations and tests)."""
        stmt = select(deletions.c.storage_key).order_by(deletions.c.id)
        return list((await self._conn.execute(stmt)).scalars())
