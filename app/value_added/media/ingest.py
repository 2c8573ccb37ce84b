"""Upload intake: stream to a temp file with a size limit, probe, check the quota, register."""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import AsyncIterable
from pathlib import Path

import msgspec

from app.foundation.media.storage import Storage
from app.foundation.unit_of_work import UnitOfWork
from app.value_added.common.errors import NotFound, PayloadTooLarge, ResourceExhausted
from app.value_added.media.config import MediaConfig
from app.value_added.media.probe import Probe, probe


class Staged(msgspec.Struct):
    """An upload written to a local temp file (not yet in storage)."""

    path: Path
    size: int

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


def _hms(seconds: int) -> str:
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m{seconds % 60:02d}s"


def safe_filename(name: str) -> str:
    base = os.path.basename(name.replace("\\", "/")).strip().replace("\x00", "")
    return base[:255] or "upload"


async def stage(storage: Storage, chunks: AsyncIterable[bytes], max_bytes: int) -> Staged:
    """Write the body to a temp file chunk by chunk; more than `max_bytes` ⇒ PayloadTooLarge."""
    fd, name = tempfile.mkstemp(dir=storage.scratch_dir(), suffix=".upload")
    path, size = Path(name), 0
    try:
        with os.fdopen(fd, "wb") as f:
            async for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise PayloadTooLarge(
                        f"uploads may be at most {max_bytes} bytes", reason="upload_too_large"
                    )
                await asyncio.to_thread(f.write, chunk)
    except BaseException:
        Staged(path=path, size=size).discard()
        raise
    return Staged(path=path, size=size)


async def probe_staged(staged: Staged) -> Probe:
    return await asyncio.to_thread(probe, staged.path)


async def check_quota(uow: UnitOfWork, config: MediaConfig, owner_id: int, adding_ms: int) -> None:
    """ResourceExhausted (`upload_quota_exceeded`) when the owner's plan quota would be passed."""
    owner = await uow.users.get(owner_id)
    if owner is None:
        raise NotFound("user not found")
    quota = config.upload_quota_seconds.get(owner.plan, config.upload_quota_seconds.get("free"))
    if quota is None:
        return
    used_ms = await uow.media.duration_used_by(owner_id)
    if used_ms + adding_ms > quota * 1000:
        left = max(0, quota - used_ms // 1000)
        raise ResourceExhausted(
            f"the {owner.plan} plan allows {_hms(quota)} of uploaded audio; "
            f"{_hms(left)} is left and this file is {_hms(adding_ms // 1000)} long",
            reason="upload_quota_exceeded",
        )


async def register(
    uow: UnitOfWork, track_id: int, key: str, found: Probe, size: int, filename: str
) -> int:
    """The track's media row (state `processing`) and its processing job; returns the job id."""
    media = await uow.media.create(
        track_id,
        {
            "original_key": key,
            "original_filename": safe_filename(filename),
            "format": found.format,
            "content_type": found.content_type,
            "size_bytes": size,
            "duration_ms": found.duration_ms,
            "bitrate": found.bitrate,
            "sample_rate": found.sample_rate,
            "channels": found.channels,
            "status": "processing",
            "status_reason": "",
        },
    )
    return await uow.media.enqueue_job(media.id)
