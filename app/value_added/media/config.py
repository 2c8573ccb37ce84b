"""Media settings the composition root passes in (never read from the environment here)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import msgspec

from app.foundation.media.storage import S3Options

HOUR = 3600

Delivery = Literal["proxy", "redirect"]


def _default_quotas() -> dict[str, int | None]:
    return {"free": 3 * HOUR, "premium": None}


class MediaConfig(msgspec.Struct, frozen=True, kw_only=True):
    media_dir: str = "var/media"
    """Local storage root, and the temporary files of uploads and transcoding in any case."""
    storage_url: str | None = None
    """None: objects under media_dir; `s3://bucket/prefix`: an S3-compatible object store."""
    s3: S3Options = msgspec.field(default_factory=S3Options)
    delivery: Delivery = "proxy"
    """How the media edge serves objects of a store that presigns: streamed through (`proxy`)
    or a redirect to a presigned URL (`redirect`); local files are always streamed."""
    redirect_ttl: dt.timedelta = dt.timedelta(seconds=60)
    """Longest life of a presigned URL (never beyond the signed media URL it answers)."""
    max_upload_bytes: int = 200 * 1024 * 1024
    upload_quota_seconds: dict[str, int | None] = msgspec.field(default_factory=_default_quotas)
    """Seconds of audio a creator may upload in total, per plan; None is unlimited."""
    lease: dt.timedelta = dt.timedelta(seconds=60)
    """How long a worker owns a claimed job without a heartbeat; a stale lease is reclaimed."""
    max_attempts: int = 3
    retry_backoff: dt.timedelta = dt.timedelta(seconds=30)
    poll_interval: float = 1.0
    deletion_backoff: dt.timedelta = dt.timedelta(seconds=30)
    """First wait before retrying an object deletion the store refused (doubling, ≤ 1 hour)."""
