"""The local-filesystem adapter of the storage port (the embedded default)."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import tempfile
from collections.abc import AsyncIterable, AsyncIterator, Iterator, Sequence
from pathlib import Path

from app.caching.provenance import note_outside_read
from app.foundation.media.storage.base import (
    CHUNK,
    KEY_PATTERN,
    ObjectStat,
    ObjectTooLarge,
    StorageError,
    check_key,
    new_key,
)


def _discard(path: Path) -> None:
    path.unlink(missing_ok=True)


def _link(source: Path, target: Path) -> None:
    """`target` becomes the same file as `source` (a hard link; a copy across filesystems).
    Objects are never changed in place (writes replace the file), so sharing is safe."""
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    part.unlink(missing_ok=True)
    try:
        os.link(source, part)
    except OSError:
        shutil.copyfile(source, part)
    os.replace(part, target)


class LocalStorage:
    """Objects as files under `root/objects/<2 hex>/<key>.obj`, written atomically (rename)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def describe(self) -> str:
        return str(self.root.resolve())

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

    async def copy_many(self, pairs: Sequence[tuple[str, str]]) -> None:
        def copy() -> None:
            for source, target in pairs:
                check_key(source)
                check_key(target)
                found = self._path(source).is_file()
                if found:
                    _link(self._path(source), self._path(target))
                children = self._children(source)
                if "/" not in source and children.is_dir():
                    for child in children.iterdir():
                        if child.suffix == ".obj":
                            found = True
                            _link(child, self._children(target) / child.name)
                if not found:
                    raise StorageError(f"no object {source!r} to copy")

        await asyncio.to_thread(copy)

    async def presign(
        self, key: str, expires_in: dt.timedelta, content_type: str, disposition: str | None = None
    ) -> str | None:
        return None  # files are only ever served through the media edge

    async def close(self) -> None:
        return None

    def walk(self) -> Iterator[tuple[str, Path]]:
        """(key, path) of every stored object (what a migration to another store copies)."""
        objects = self.root / "objects"
        for path in sorted(objects.rglob("*.obj")):
            key = path.relative_to(objects).as_posix()[3:].removesuffix(".obj")
            if KEY_PATTERN.match(key):
                yield key, path
