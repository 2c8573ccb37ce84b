"""Media settings the composition root passes in (never read from the environment here)."""

from __future__ import annotations

import datetime as dt

import msgspec

HOUR = 3600


def _default_quotas() -> dict[str, int | None]:
    return {"free": 3 * HOUR, "premium": None}


class MediaConfig(msgspec.Struct, frozen=True, kw_only=True):
    media_dir: str = "var/media"
    max_upload_bytes: int = 200 * 1024 * 1024
    upload_quota_seconds: dict[str, int | None] = msgspec.field(default_factory=_default_quotas)
    """Seconds of audio a creator may upload in total, per plan; None is unlimited."""
    lease: dt.timedelta = dt.timedelta(seconds=60)
    """How long a worker owns a claimed job without a heartbeat; a stale lease is reclaimed."""
    max_attempts: int = 3
    retry_backoff: dt.timedelta = dt.timedelta(seconds=30)
    poll_interval: float = 1.0
