"""Blob storage for media: a small interface and its local-filesystem default.

Keys are opaque lowercase hex names, optionally with one child part (`<32 hex>` or
`<32 hex>/<hex>`: an HLS playlist's segments, an artwork's size variants). Anything else is
rejected before it reaches the filesystem, so no key can escape the storage root. Deleting a key
deletes its children too. An object store (S3 and friends) implements the same protocol.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import AsyncIterable, AsyncIterator
from pathlib import Path
from typing import Protocol

import msgspec

from app.foundation.cache import note_outside_read

KEY_PATTERN = re.compile(r"^[0-9a-f]{32}(/[0-9a-f]{1,16})?$")
CHUNK = 256 * 1024


class ObjectStat(msgspec.Struct, frozen=True):
    size: int
    modified_at: dt.datetime


class StorageError(Exception):
    """A storage key is malformed, or the object does not exist."""


class ObjectTooLarge(StorageError):
    """The stream written to storage exceeded the allowed size (nothing was stored)."""


def check_key(key: str) -> str:
    if not KEY_PATTERN.match(key):
        raise StorageError(f"invalid storage key {key!r}")
    return key


def _discard(path: Path) -> None:
    path.unlink(missing_ok=True)


def new_key() -> str:
    return secrets.token_hex(16)


class Storage(Protocol):
    """Where originals, transcodings and images live."""

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

    def local_path(self, key: str) -> Path | None:
        """The object's path when it is on the local filesystem (decoders read it directly)."""
        ...

    def scratch_dir(self) -> Path:
        """A local directory for temporary files (on the storage's own disk when possible)."""
        ...


class LocalStorage:
    """Objects as files under `root/objects/<2 hex>/<key>.obj`, written atomically (rename)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        check_key(key)
        return self.root / "objects" / key[:2] / f"{key}.obj"

    def _children(self, key: str) -> Path:
        return self.root / "objects" / key[:2] / key

    def scratch_dir(self) -> Path:
        path = self.root / "tmp"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def local_path(self, key: str) -> Path | None:
        path = self._path(key)
        return path if path.is_file() else None

    def _install(self, tmp: Path, key: str) -> None:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, target)

    async def put(
        self, chunks: AsyncIterable[bytes], key: str | None = None, max_bytes: int | None = None
    ) -> str:
        key = check_key(key or new_key())
        fd, name = tempfile.mkstemp(dir=self.scratch_dir(), suffix=".part")
        tmp = Path(name)
        written = 0
        try:
            with os.fdopen(fd, "wb") as f:
                async for chunk in chunks:
                    written += len(chunk)
                    if max_bytes is not None and written > max_bytes:
                        raise ObjectTooLarge(f"more than {max_bytes} bytes")
                    f.write(chunk)
            await asyncio.to_thread(self._install, tmp, key)
        except BaseException:
            _discard(tmp)
            raise
        return key

    async def put_file(self, path: Path, key: str | None = None) -> str:
        key = check_key(key or new_key())

        def move() -> None:
            target = self._path(key)
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".part")
            shutil.move(str(path), tmp)
            os.replace(tmp, target)

        await asyncio.to_thread(move)
        return key

    async def open(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        note_outside_read()
        path = self._path(key)
        try:
            f = await asyncio.to_thread(path.open, "rb")
        except FileNotFoundError as exc:
            raise StorageError(f"no object {key!r}") from exc
        try:
            f.seek(start)
            remaining = None if end is None else end - start + 1
            while remaining is None or remaining > 0:
                size = CHUNK if remaining is None else min(CHUNK, remaining)
                data = await asyncio.to_thread(f.read, size)
                if not data:
                    break
                if remaining is not None:
                    remaining -= len(data)
                yield data
        finally:
            f.close()

    async def read(self, key: str) -> bytes:
        note_outside_read()
        try:
            return await asyncio.to_thread(self._path(key).read_bytes)
        except FileNotFoundError as exc:
            raise StorageError(f"no object {key!r}") from exc

    async def size(self, key: str) -> int:
        note_outside_read()
        try:
            return (await asyncio.to_thread(self._path(key).stat)).st_size
        except FileNotFoundError as exc:
            raise StorageError(f"no object {key!r}") from exc

    async def stat(self, key: str) -> ObjectStat:
        note_outside_read()
        try:
            found = await asyncio.to_thread(self._path(key).stat)
        except FileNotFoundError as exc:
            raise StorageError(f"no object {key!r}") from exc
        return ObjectStat(found.st_size, dt.datetime.fromtimestamp(int(found.st_mtime), dt.UTC))

    async def exists(self, key: str) -> bool:
        note_outside_read()
        return await asyncio.to_thread(self._path(key).is_file)

    async def delete(self, key: str) -> None:
        path = self._path(key)

        def remove() -> None:
            path.unlink(missing_ok=True)
            if "/" not in key:
                shutil.rmtree(self._children(key), ignore_errors=True)

        await asyncio.to_thread(remove)
