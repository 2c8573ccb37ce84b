"""Deleting stored objects through a durable queue: queued in the transaction that stops
referencing them, then deleted by a media worker (or at once by the command), idempotently, and
retried with back-off while the store is unreachable. Nothing is lost if a process dies."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from functools import partial

from app.foundation.media.records import MediaDeletionRecord
from app.foundation.media.storage import Storage, StorageError, StorageUnavailable
from app.foundation.unit_of_work import UnitOfWork
from app.value_added.common.deps import Deps
from app.value_added.media.config import MediaConfig

log = logging.getLogger(__name__)

BATCH = 100
LEASE = dt.timedelta(minutes=5)
"""How long a claimed deletion is left to its worker before another one retries it."""
MAX_BACKOFF = dt.timedelta(hours=1)


async def queue(uow: UnitOfWork, keys: Sequence[str], now: dt.datetime) -> None:
    """Queue `keys` (and their children) for deletion in the caller's transaction."""
    await uow.media.queue_deletions([k for k in keys if k], now)


async def queue_track_objects(
    uow: UnitOfWork, track_id: int, artwork_key: str | None, now: dt.datetime
) -> list[str]:
    """Queue every stored object of a track being deleted in this transaction: the original,
    transcodings (HLS segments and waveform included) and its artwork; returns their keys."""
    keys = await uow.media.storage_keys_of_track(track_id)
    if artwork_key:
        await uow.media.delete_artwork(artwork_key)
        keys.append(artwork_key)
    await queue(uow, keys, now)
    return keys


class Deletions:
    """Runs the queue: claim due rows, delete their objects, drop the rows (or back off)."""

    def __init__(self, deps: Deps, storage: Storage, config: MediaConfig) -> None:
        self._deps = deps
        self._storage = storage
        self._config = config

    async def delete_soon(self, keys: Sequence[str]) -> None:
        """Queue `keys` in a transaction of their own and try to delete them now."""
        if not keys:
            return

        async def command(uow: UnitOfWork) -> None:
            await queue(uow, keys, self._deps.clock())

        await self._deps.db.transact(command)
        await self.run_due()

    async def run_due(self) -> int:
        """Delete what is due (one batch at a time until none is left); returns how many
        objects were deleted. Failures stay queued with a back-off; nothing is raised."""
        done = 0
        while True:
            claimed = await self._deps.db.transact(self._claim)
            if not claimed:
                return done
            deleted: list[int] = []
            failed: StorageUnavailable | None = None
            for item in claimed:
                try:
                    await self._storage.delete(item.storage_key)
                except StorageError:
                    pass  # a malformed key cannot name anything stored: drop the row
                except StorageUnavailable as exc:
                    failed = exc
                    break
                deleted.append(item.id)
            await self._deps.db.transact(partial(_finish, deleted=deleted))
            done += len(deleted)
            if failed is not None:  # the store is failing: the rest of the batch waits too
                await self._back_off(claimed[len(deleted) :], str(failed))
                return done

    async def _back_off(self, items: Sequence[MediaDeletionRecord], why: str) -> None:
        log.warning("media deletions failed, %s left queued: %s", len(items), why)
        now = self._deps.clock()

        async def command(uow: UnitOfWork) -> None:
            for item in items:
                doubled = self._config.deletion_backoff * 2 ** min(max(item.attempts - 1, 0), 16)
                await uow.media.retry_deletion(item.id, now + min(doubled, MAX_BACKOFF), why)

        await self._deps.db.transact(command)

    async def _claim(self, uow: UnitOfWork) -> list[MediaDeletionRecord]:
        now = self._deps.clock()
        return await uow.media.claim_deletions(now, now + LEASE, BATCH)

    async def pending(self) -> list[str]:
        async with self._deps.db.read() as uow:
            return await uow.media.pending_deletions()


async def _finish(uow: UnitOfWork, deleted: list[int]) -> None:
    await uow.media.finish_deletions(deleted)
