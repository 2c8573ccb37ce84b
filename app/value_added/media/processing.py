"""Runs one claimed media job: fetch the original through the storage port (a local copy when
the store is remote), transcode in a thread, store the results, record the outcome.

The job row is leased (`locked_by`/`locked_until`) and the lease is extended by a heartbeat while
the transcode runs; a worker that dies leaves a lease that expires, and the next worker reclaims
and redoes the job. Stored object keys are derived from the original's key and the kind, so a
redo overwrites instead of leaking files.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from app.foundation.media.records import MediaJobRecord, MediaRecord
from app.foundation.media.storage import Storage
from app.foundation.unit_of_work import UnitOfWork
from app.value_added.common.deps import Deps
from app.value_added.media.config import MediaConfig
from app.value_added.media.formats import WAVEFORM_KIND
from app.value_added.media.transcode import Check, Output, transcode_all

log = logging.getLogger(__name__)

Transcoder = Callable[[Path, Path, Check], tuple[list[Output], bytes]]


class LeaseLost(Exception):
    """Another worker took the job over (or we are shutting down): stop without recording."""


def derived_key(original_key: str, kind: str) -> str:
    return hashlib.sha256(f"{original_key}:{kind}".encode()).hexdigest()[:32]


class JobRunner:
    def __init__(
        self, deps: Deps, storage: Storage, config: MediaConfig, transcoder: Transcoder
    ) -> None:
        self._deps = deps
        self._storage = storage
        self._config = config
        self.transcoder = transcoder

    async def claim(self, worker: str) -> MediaJobRecord | None:
        now = self._deps.clock()
        async with self._deps.db.read() as uow:
            job_id = await uow.media.next_due_job(now)
        if job_id is None:
            return None

        async def command(uow: UnitOfWork) -> MediaJobRecord | None:
            return await uow.media.claim_job(job_id, worker, now, now + self._config.lease)

        return await self._deps.db.transact(command)

    async def _heartbeat(self, job: MediaJobRecord, worker: str, lost: threading.Event) -> None:
        interval = max(self._config.lease.total_seconds() / 3, 0.05)

        async def extend(uow: UnitOfWork) -> bool:
            return await uow.media.extend_lease(
                job.id, worker, self._deps.clock() + self._config.lease
            )

        while not lost.is_set():
            await asyncio.sleep(interval)
            if not await self._deps.db.transact(extend):
                lost.set()

    async def run(self, job: MediaJobRecord, worker: str, stop: threading.Event) -> str:
        """Run the job; returns its outcome: done, failed, retried or handed_back."""
        async with self._deps.db.read() as uow:
            media = await uow.media.get(job.media_id)
        if media is None or not media.original_key:
            await self._finish(job, worker, "failed", "media is gone")
            return "failed"
        lost = threading.Event()
        beat = asyncio.create_task(self._heartbeat(job, worker, lost))

        def check() -> None:
            if lost.is_set() or stop.is_set():
                raise LeaseLost("lease lost or worker stopping")

        workdir = Path(tempfile.mkdtemp(dir=self._storage.scratch_dir(), prefix="job-"))
        try:
            outputs, wave = await self._transcode(media, workdir, check)
            rows = await self._store(media.original_key, outputs, wave, workdir)
            check()
        except LeaseLost:
            if stop.is_set() and not lost.is_set():  # hand it back at once
                await self._finish(job, worker, "queued", "worker stopped")
            return "handed_back"
        except Exception as exc:
            log.exception("media job %s failed", job.id)
            return await self._failed(job, media, worker, f"{type(exc).__name__}: {exc}")
        finally:
            lost.set()
            beat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beat
            shutil.rmtree(workdir, ignore_errors=True)

        async def done(uow: UnitOfWork) -> None:
            if await uow.media.finish_job(job.id, worker, "done"):
                await uow.media.replace_transcodings(media.id, rows)
                await uow.media.update(media.id, {"status": "finished", "status_reason": ""})
            elif await uow.media.get(media.id) is None:  # the track was deleted meanwhile
                keys = [str(row["storage_key"]) for row in rows]
                await uow.media.queue_deletions(keys, self._deps.clock())

        await self._deps.db.transact(done)
        return "done"

    async def _finish(self, job: MediaJobRecord, worker: str, state: str, why: str) -> None:
        async def command(uow: UnitOfWork) -> None:
            await uow.media.finish_job(job.id, worker, state, why)

        await self._deps.db.transact(command)

    async def _transcode(
        self, media: MediaRecord, workdir: Path, check: Check
    ) -> tuple[list[Output], bytes]:
        assert media.original_key
        src = self._storage.local_path(media.original_key)
        if src is None:  # remote storage: fetch a local copy for the decoder
            src = workdir / "original"
            with src.open("wb") as f:
                async for chunk in self._storage.open(media.original_key):
                    await asyncio.to_thread(f.write, chunk)
        return await asyncio.to_thread(self.transcoder, src, workdir, check)

    async def _store(
        self, original_key: str, outputs: list[Output], wave: bytes, workdir: Path
    ) -> list[dict[str, object]]:
        rows: list[dict[str, object]] = []
        for out in outputs:
            key = derived_key(original_key, out.kind)
            await self._storage.delete(key)
            for n, segment in enumerate(out.segments):
                await self._storage.put_file(segment, f"{key}/{n:x}")
            await self._storage.put_file(out.path, key)
            rows.append(
                {
                    "kind": out.kind,
                    "storage_key": key,
                    "content_type": out.mime_type,
                    "duration_ms": out.duration_ms,
                }
            )
        wave_path = workdir / "waveform.json"
        wave_path.write_bytes(wave)
        key = derived_key(original_key, WAVEFORM_KIND)
        await self._storage.put_file(wave_path, key)
        rows.append({"kind": WAVEFORM_KIND, "storage_key": key, "content_type": "application/json"})
        return rows

    async def _failed(self, job: MediaJobRecord, media: MediaRecord, worker: str, why: str) -> str:
        async def command(uow: UnitOfWork) -> str:
            if job.attempts < self._config.max_attempts:
                retry_at = self._deps.clock() + self._config.retry_backoff
                await uow.media.finish_job(job.id, worker, "queued", why, retry_at)
                return "retried"
            if await uow.media.finish_job(job.id, worker, "failed", why):
                await uow.media.update(
                    media.id, {"status": "failed", "status_reason": f"transcoding failed: {why}"}
                )
            return "failed"

        return await self._deps.db.transact(command)

    async def job_counts(self) -> dict[str, int]:
        """How many media jobs are in each state (queued, running, done, failed)."""
        async with self._deps.db.read() as uow:
            return await uow.media.job_counts()

    async def retry_failed(self) -> int:
        """Queue every failed job again with fresh attempts (its media is `processing` again);
        returns how many."""

        async def command(uow: UnitOfWork) -> int:
            media_ids = await uow.media.requeue_failed(self._deps.clock())
            for media_id in media_ids:
                await uow.media.update(media_id, {"status": "processing", "status_reason": ""})
            return len(media_ids)

        return await self._deps.db.transact(command)


__all__ = ["JobRunner", "LeaseLost", "Transcoder", "derived_key", "transcode_all"]
