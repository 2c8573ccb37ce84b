"""The media storage port and its adapters: the local filesystem (default) and S3-compatible."""

from app.foundation.media.storage.base import (
    CHUNK,
    KEY_PATTERN,
    ObjectStat,
    ObjectTooLarge,
    Storage,
    StorageError,
    StorageUnavailable,
    check_key,
    new_key,
)
from app.foundation.media.storage.factory import open_storage
from app.foundation.media.storage.local import LocalStorage
from app.foundation.media.storage.s3 import (
    S3Location,
    S3Options,
    S3Storage,
    etag_of_file,
    is_md5_etag,
)

__all__ = [
    "CHUNK",
    "KEY_PATTERN",
    "LocalStorage",
    "ObjectStat",
    "ObjectTooLarge",
    "S3Location",
    "S3Options",
    "S3Storage",
    "Storage",
    "StorageError",
    "StorageUnavailable",
    "check_key",
    "etag_of_file",
    "is_md5_etag",
    "new_key",
    "open_storage",
]
