"""Opens the storage adapter a location names: a local directory, or `s3://bucket/prefix`."""

from __future__ import annotations

from pathlib import Path

from app.foundation.media.storage.base import Storage
from app.foundation.media.storage.local import LocalStorage
from app.foundation.media.storage.s3 import S3Location, S3Options, S3Storage


def open_storage(url: str | None, media_dir: str | Path, s3: S3Options | None = None) -> Storage:
    """`url` None (or empty): files under `media_dir`; `s3://…`: that bucket and prefix, with
    `media_dir` holding only temporary files. Anything else is a StorageError."""
    if not url:
        return LocalStorage(media_dir)
    return S3Storage(S3Location.parse(url), s3 or S3Options(), media_dir)
