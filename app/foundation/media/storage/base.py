"""The storage port for media: keys, the `Storage` protocol its adapters implement, errors.

Keys are opaque lowercase hex names, optionally with one child part (`<32 hex>` or
`<32 hex>/<hex>`: an HLS playlist's segments, an artwork's size variants). Anything else is
rejected before it reaches an adapter, so no key can escape the storage root or bucket prefix.
Deleting a key deletes its children too.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import AsyncIterable, AsyncIterator, Sequence
from pathlib import Path
from typing import Protocol

import msgspec

KEY_PATTERN = re.compile(r"^[0-9a-f]{32}(/[0-9a-f]{1,16})?$")
CHUNK = 256 * 1024


class ObjectStat(msgspec.Struct, frozen=True):
    size: int
    modified_at: dt.datetime
    etag: str = ""
    """The store's own entity tag (S3: an MD5-based one), without quotes; "" when it has none."""


class StorageError(Exception):
    """A storage key is malformed, or the object does not exist."""


class ObjectTooLarge(StorageError):
    """The stream written to storage exceeded the allowed size (nothing was stored)."""


class StorageUnavailable(Exception):
    """The store could not be reached or refused the request (not the object's absence)."""


def check_key(key: str) -> str:
    if not KEY_PATTERN.match(key):
        raise StorageError(f"invalid storage key {key!r}")
    return key


def new_key() -> str:
    return secrets.token_hex(16)


class Storage(Protocol):
    """Where originals, transcodings and images live."""

    def describe(self) -> str:
        """Where, for people (`/srv/media`, `s3://bucket/prefix`); never any credential."""
        ...

    async def put(
        self, chunks: AsyncIterable[bytes], key: str | None = None, max_bytes: int | None = None
    ) -> str:
        """Store the stream under `key` (a new key when None); returns the key."""
        ...

    async def put_file(self, path: Path, key: str | None = None) -> str:
        """Store a local file (consumed: it may be moved); returns the key."""
        ...

    def open(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        """The bytes [start, end] (inclusive end; None: to the end) of the object."""
        ...

    async def read(self, key: str) -> bytes:
        """A small object whole (playlists, waveforms)."""
        ...

    async def size(self, key: str) -> int: ...

    async def stat(self, key: str) -> ObjectStat: ...

    async def exists(self, key: str) -> bool: ...

    async def delete(self, key: str) -> None:
        """Remove the object and its children; a missing object is not an error."""
        ...

    async def copy_many(self, pairs: Sequence[tuple[str, str]]) -> None:
        """Copy each (source, target) object with its children to the target key, inside the
        store (hard links on a local disk, server-side copies in S3); a missing source is a
        StorageError."""
        ...

    async def presign(
        self, key: str, expires_in: dt.timedelta, content_type: str, disposition: str | None = None
    ) -> str | None:
        """A URL the store itself serves the object at for `expires_in` (None: it cannot)."""
        ...

    def local_path(self, key: str) -> Path | None:
        """The object's path when it is on the local filesystem (decoders read it directly)."""
        ...

    def scratch_dir(self) -> Path:
        """A local directory for temporary files (on the storage's own disk when possible)."""
        ...

    async def close(self) -> None:
        """Release connections (the adapter may be used again afterwards)."""
        ...
