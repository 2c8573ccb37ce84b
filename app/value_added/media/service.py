"""The Media VAS: storage, upload intake, the job queue and signed delivery, behind one object.

Tracks (streams) and Creator (uploads, artwork) call it; the media edge serves what it resolves.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import threading
from collections.abc import AsyncIterable, AsyncIterator, Sequence

import msgspec

from app.foundation.media.storage import (
    Storage,
    StorageError,
    StorageUnavailable,
    check_key,
    new_key,
)
from app.foundation.unit_of_work import UnitOfWork
from app.value_added.common.deps import Deps
from app.value_added.common.errors import NotFound, Unavailable
from app.value_added.media import artwork as images
from app.value_added.media import deletions, demo, ingest, urls
from app.value_added.media.config import MediaConfig
from app.value_added.media.probe import Probe
from app.value_added.media.processing import JobRunner, Transcoder, transcode_all
from app.value_added.media.urls import SignedObject

_NOT_FOUND = "no such media object"


class StoredObject(msgspec.Struct, frozen=True):
    key: str
    size: int
    mime_type: str
    modified_at: dt.datetime


class DownloadTarget(msgspec.Struct, frozen=True):
    track_id: int
    key: str
    mime_type: str
    filename: str


class MediaService:
    """Everything about stored audio and images that is not a track or playlist rule."""

    def __init__(
        self,
        deps: Deps,
        storage: Storage,
        config: MediaConfig | None = None,
        transcoder: Transcoder = transcode_all,
    ) -> None:
        self._deps = deps
        self.storage = storage
        self.config = config or MediaConfig()
        self.jobs = JobRunner(deps, storage, self.config, transcoder)
        self.deletions = deletions.Deletions(deps, storage, self.config)
        self._wake: asyncio.Event | None = None
        self.stopping = threading.Event()

    # -------------------------------------------------------------- intake (for Creator)

    async def stage(self, chunks: AsyncIterable[bytes]) -> ingest.Staged:
        return await ingest.stage(self.storage, chunks, self.config.max_upload_bytes)

    async def probe(self, staged: ingest.Staged) -> Probe:
        return await ingest.probe_staged(staged)

    async def check_quota(self, uow: UnitOfWork, owner_id: int, adding_ms: int) -> None:
        await ingest.check_quota(uow, self.config, owner_id, adding_ms)

    async def keep(self, staged: ingest.Staged) -> str:
        """Move a staged upload into storage; returns its key."""
        return await self.storage.put_file(staged.path)

    async def register(
        self, uow: UnitOfWork, track_id: int, key: str, found: Probe, size: int, filename: str
    ) -> int:
        return await ingest.register(uow, track_id, key, found, size, filename)

    async def delete_objects(self, keys: list[str]) -> None:
        """Remove stored objects (and their children: HLS segments, artwork variants) now, or
        later through the deletion queue if the store is unreachable."""
        await self.deletions.delete_soon(keys)

    # -------------------------------------------------------------- the demo catalog

    async def furnish_demo(self, track_ids: Sequence[int]) -> demo.Furnished:
        """Synthesised audio (transcoded like an upload) and artwork for tracks without media."""
        return await demo.furnish(self._deps, self.storage, track_ids)

    # -------------------------------------------------------------- worker signalling

    def wake(self) -> None:
        """Tell an in-process worker that a job was queued."""
        if self._wake is not None:
            self._wake.set()

    def wake_event(self) -> asyncio.Event:
        if self._wake is None:
            self._wake = asyncio.Event()
        return self._wake

    # -------------------------------------------------------------- artwork

    async def store_artwork(self, data: bytes) -> str:
        """Validate and re-encode an image; returns the artwork key (variants stored under it)."""
        art = await asyncio.to_thread(images.render, data)
        key = new_key()
        for name, body in art.variants.items():
            child = images.VARIANTS[name][1]
            await self.storage.put(_once(body), f"{key}/{child}")

        async def command(uow: UnitOfWork) -> None:
            await uow.media.add_artwork(key, "image/jpeg", art.width, art.height)

        await self._deps.db.transact(command)
        return key

    async def delete_artwork(self, key: str | None) -> None:
        if not key or not re.fullmatch(r"[0-9a-f]{32}", key):
            return

        async def command(uow: UnitOfWork) -> None:
            await uow.media.delete_artwork(key)
            await deletions.queue(uow, [key], self._deps.clock())

        await self._deps.db.transact(command)
        await self.deletions.run_due()

    def default_avatar(self, size: str) -> bytes:
        """The JPEG of a user who set no avatar, in one of the artwork sizes."""
        found = images.default_avatar(size)
        if found is None:
            raise NotFound(_NOT_FOUND)
        return found

    async def artwork_object(self, key: str, size: str) -> StoredObject:
        variant = images.VARIANTS.get(size)
        if variant is None or not re.fullmatch(r"[0-9a-f]{32}", key):
            raise NotFound(_NOT_FOUND)
        return await self.stored(f"{key}/{variant[1]}", "image/jpeg")

    # -------------------------------------------------------------- delivery (for the edge)

    async def signed_object(self, signed: SignedObject) -> StoredObject:
        return await self.stored(signed.key, signed.mime_type)

    async def stored(self, key: str, mime_type: str) -> StoredObject:
        """The object's size and date (NotFound when absent, Unavailable when the store is)."""
        try:
            found = await self.storage.stat(check_key(key))
        except StorageError as exc:
            raise NotFound(_NOT_FOUND) from exc
        except StorageUnavailable as exc:
            raise _unavailable() from exc
        return StoredObject(key, found.size, mime_type, found.modified_at)

    def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        return self.storage.open(key, start, end)

    async def redirect_url(
        self,
        key: str,
        mime_type: str,
        expires_at: dt.datetime,
        disposition: str | None = None,
    ) -> str | None:
        """With `delivery = redirect` and a store that presigns: a presigned URL of the object
        that expires with (or before) the signed URL it answers; None: stream it instead."""
        if self.config.delivery != "redirect":
            return None
        life = min(self.config.redirect_ttl, expires_at - self._deps.clock())
        if life < dt.timedelta(seconds=1):
            return None
        try:
            return await self.storage.presign(check_key(key), life, mime_type, disposition)
        except StorageUnavailable as exc:
            raise _unavailable() from exc

    async def playlist(self, signed: SignedObject) -> bytes:
        """An HLS playlist whose segment lines are signed URLs with the playlist's claims, valid
        as long as the playlist plus the time it takes to play it."""
        try:
            text = (await self.storage.read(signed.key)).decode()
        except StorageError as exc:
            raise NotFound(_NOT_FOUND) from exc
        except StorageUnavailable as exc:
            raise _unavailable() from exc
        now = self._deps.clock()
        total = sum(
            float(line[8:].split(",")[0]) for line in text.splitlines() if line[:8] == "#EXTINF:"
        )
        expires = max(signed.expires_at, now + urls.STREAM_TTL + dt.timedelta(seconds=total))
        out = []
        for line in text.splitlines():
            if line and not line.startswith("#"):
                segment = msgspec.structs.replace(
                    signed.claims, key=f"{signed.key}/{line}", ext="ts"
                )
                line = urls.signed_path(self._deps.grants, segment, expires, line)
            out.append(line)
        return ("\n".join(out) + "\n").encode()

    async def download_target(self, track_id: int) -> DownloadTarget:
        """The original file of a track (for a download grant the Tracks VAS verified)."""
        async with self._deps.db.read() as uow:
            found = await uow.media.for_tracks([track_id])
            track = await uow.tracks.get(track_id)
        if not found or track is None or not found[0].original_key:
            raise NotFound("this track has no downloadable file")
        media = found[0]
        assert media.original_key is not None
        ext = media.original_filename.rpartition(".")[2] if "." in media.original_filename else ""
        name = f"{track.title}.{ext or media.format}"
        return DownloadTarget(track_id, media.original_key, media.content_type, name)


def _unavailable() -> Unavailable:
    return Unavailable("media storage is unreachable; retry shortly", reason="storage_unavailable")


async def _once(data: bytes) -> AsyncIterator[bytes]:
    yield data
