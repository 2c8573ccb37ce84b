"""Moving media from local storage to another store (`litestar media migrate --to s3://…`).

Keys stay the same, so the database needs no change: once every object is copied and
verified, point MEDIA_STORAGE_URL at the new store. Each object is checked on the target first
(same size and checksum ⇒ skipped), so an interrupted run resumes where it stopped and a
finished one changes nothing when run again. The local files are left in place.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import msgspec

from app.foundation.media.storage import (
    CHUNK,
    LocalStorage,
    S3Options,
    S3Storage,
    Storage,
    StorageError,
    StorageUnavailable,
    etag_of_file,
    is_md5_etag,
    open_storage,
)
from app.value_added.common.errors import InvalidArgument

Progress = Callable[[str, int], None]
"""Called with (key, bytes) as each object is done (copied or found already there)."""


class Planned(msgspec.Struct, frozen=True):
    objects: int
    bytes: int


class MigrationReport(msgspec.Struct):
    copied: int = 0
    copied_bytes: int = 0
    skipped: int = 0
    """Already on the target with the same size and checksum."""
    failed: list[str] = msgspec.field(default_factory=list)
    """`key: why` of the objects that could not be copied or did not verify."""


async def _file_chunks(path: Path) -> AsyncIterator[bytes]:
    with path.open("rb") as f:
        while data := await asyncio.to_thread(f.read, CHUNK * 4):
            yield data


def _sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while data := f.read(CHUNK * 4):
            digest.update(data)
    return digest.hexdigest()


class Migration:
    """Copies every object of a local store to `target`, verifying each one."""

    def __init__(self, source: LocalStorage, target: Storage, concurrency: int = 4) -> None:
        self.source = source
        self.target = target
        self.concurrency = max(1, concurrency)

    def plan(self) -> tuple[list[tuple[str, Path, int]], Planned]:
        items = [(key, path, path.stat().st_size) for key, path in self.source.walk()]
        return items, Planned(len(items), sum(size for _, _, size in items))

    async def _same(self, key: str, path: Path, size: int) -> bool:
        """Is the object on the target, with the local file's size and checksum?"""
        try:
            found = await self.target.stat(key)
        except StorageError:
            return False
        if found.size != size:
            return False
        if isinstance(self.target, S3Storage) and is_md5_etag(found.etag):
            expected = await asyncio.to_thread(etag_of_file, path, self.target.part_size)
            return found.etag == expected
        digest = hashlib.sha256()  # a store without MD5 ETags: read it back
        async for chunk in self.target.open(key):
            digest.update(chunk)
        return digest.hexdigest() == await asyncio.to_thread(_sha256_of_file, path)

    async def _one(self, key: str, path: Path, size: int, report: MigrationReport) -> bool:
        try:
            if await self._same(key, path, size):
                report.skipped += 1
                return True
            await self.target.put(_file_chunks(path), key)
            if not await self._same(key, path, size):
                report.failed.append(f"{key}: the stored copy does not match the file")
                return False
        except (StorageError, StorageUnavailable, OSError) as exc:
            report.failed.append(f"{key}: {exc}")
            return False
        report.copied += 1
        report.copied_bytes += size
        return True

    async def run(
        self, items: list[tuple[str, Path, int]], progress: Progress | None = None
    ) -> MigrationReport:
        """Copy `items` (from `plan`) with `concurrency` copies in flight (each holds at most
        one multipart part in memory)."""
        report = MigrationReport()
        pending = iter(items)

        async def copier() -> None:
            for key, path, size in pending:  # (shared: each item is taken by one copier)
                if await self._one(key, path, size, report) and progress is not None:
                    progress(key, size)

        await asyncio.gather(*(copier() for _ in range(self.concurrency)))
        report.failed.sort()
        return report


def open_migration(media_dir: str, to_url: str, s3: S3Options, concurrency: int = 4) -> Migration:
    """A migration from the local store under `media_dir` to `to_url` (`s3://bucket/prefix`);
    InvalidArgument (field `to`) when the URL names no store."""
    try:
        if not to_url.startswith("s3://"):
            raise StorageError(f"the target must be an s3:// URL; got {to_url!r}")
        target = open_storage(to_url, media_dir, s3)
    except StorageError as exc:
        raise InvalidArgument(str(exc), field="to") from exc
    return Migration(LocalStorage(media_dir), target, concurrency)
