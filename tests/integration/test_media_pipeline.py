"""Media pipeline on real databases and both storage adapters: upload → probe → job queue →
transcodings → stream grants → deletion."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import msgspec
import pytest
from click.testing import CliRunner
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from app.cli_media import media_group
from app.foundation.db import utcnow
from app.value_added.access import Viewer
from app.value_added.common.errors import (
    NotFound,
    PayloadTooLarge,
    PermissionDenied,
    ResourceExhausted,
    Unprocessable,
    UnsupportedMediaType,
)
from app.value_added.creator import TrackChanges, TrackDraft
from app.value_added.media import MediaWorker
from app.value_added.media.processing import transcode_all
from app.value_added.registry import Services, build_services
from tests.conftest import MediaStore, unreachable_s3
from tests.integration.test_media_audio import chunks_of, decoded_seconds, sine

SECRET = "media-test-secret-0123456789"


@functools.cache
def audio(seconds: float) -> bytes:
    return sine(seconds, tags={"title": "Tagged Title", "genre": "Ambient"})


async def _services(
    database_url: str,
    store: MediaStore | Path,
    clock: Callable[[], dt.datetime] = utcnow,
    **config: object,
) -> Services:
    """Services whose media go to `store` (a bare path: local files under it)."""
    if isinstance(store, Path):
        store = MediaStore("local", store / "media", None)
    return build_services(database_url, SECRET, clock, media=store.config(**config))


@pytest.fixture
async def services(database_url: str, tmp_path: Path) -> AsyncIterator[Services]:
    s = await _services(database_url, tmp_path)
    yield s
    await s.close()


async def owner(s: Services, name: str = "artist") -> Viewer:
    user = await s.identity.create_user(name, "correct horse battery")
    return Viewer(user_id=user.id, app_id=None, territory="DE", plan="free")


async def upload(s: Services, who: Viewer, data: bytes, **draft: object) -> int:
    assert who.user_id is not None
    track = await s.creator.upload_track(
        who,
        who.user_id,
        TrackDraft(title="", **draft),
        chunks_of(data),
        "song.mp3",
        "audio/mpeg",  # type: ignore[arg-type]
    )
    return track.id


async def status_of(s: Services, track_id: int) -> str:
    async with s.deps.db.read() as uow:
        return (await uow.media.for_tracks([track_id]))[0].status


# ---------------------------------------------------------------- full pipeline (SQLite)


async def test_upload_transcode_and_stream_per_access_level(
    sqlite_url: str, media_store: MediaStore
) -> None:
    s = await _services(sqlite_url, media_store)
    try:
        me = await owner(s)
        track_id = await upload(s, me, audio(35))
        assert await status_of(s, track_id) == "processing"
        assert await s.tracks.streams(me, track_id) == []  # not finished yet
        assert await MediaWorker(s.media).run_until_idle() == 1
        assert await status_of(s, track_id) == "finished"

        async with s.deps.db.read() as uow:
            media = (await uow.media.for_tracks([track_id]))[0]
            track = await uow.tracks.get(track_id)
        assert track is not None and track.title == "Tagged Title" and track.genre == "Ambient"
        assert (media.format, media.channels, media.sample_rate) == ("mp3", 1, 44_100)
        assert abs(media.duration_ms - 35_000) < 100

        grants = await s.tracks.streams(me, track_id)
        assert {(g.kind, g.format, g.preview) for g in grants} == {
            ("progressive", "mp3_128", False),
            ("hls", "aac_160", False),
            ("hls", "mp3_128", False),
        }
        assert all(g.url.startswith("/media/streams/") for g in grants)
        assert all(
            g.expires_at - dt.datetime.now(dt.UTC) <= dt.timedelta(minutes=10) for g in grants
        )
        full = next(g for g in grants if g.kind == "progressive")
        signed = await s.tracks.authorize_media(full.url.split("/")[3])
        assert abs(decoded_seconds(await s.media.storage.read(signed.key)) - 35) < 0.2

        wave_url = await s.tracks.waveform_url(track_id)
        assert wave_url is not None
        wave_object = await s.tracks.authorize_media(wave_url.split("/")[3])
        wave = msgspec.json.decode(await s.media.storage.read(wave_object.key))
        assert (wave["width"], wave["height"], len(wave["samples"])) == (1800, 140, 1800)
        assert max(wave["samples"]) == 140 and min(wave["samples"]) > 0

        # premium monetization: a free listener only gets the 30-second preview
        await s.creator.update_track(me, track_id, TrackChanges(monetization="premium"))
        listener = Viewer(user_id=None, app_id=None, territory="DE", plan="free")
        only = await s.tracks.streams(listener, track_id)
        assert [(g.preview, g.format) for g in only] == [(True, "mp3_128")]
        previewed = await s.tracks.authorize_media(only[0].url.split("/")[3])
        assert 29.5 < decoded_seconds(await s.media.storage.read(previewed.key)) < 30.5
        # territory-restricted elsewhere: blocked
        await s.creator.update_track(me, track_id, TrackChanges(territories=["US"]))
        with pytest.raises(PermissionDenied) as blocked:
            await s.tracks.streams(listener, track_id)
        assert blocked.value.reason == "blocked"
        # private: invisible without the token is indistinguishable from missing
        await s.creator.update_track(
            me, track_id, TrackChanges(sharing="private", territories=None)
        )
        with pytest.raises(NotFound):
            await s.tracks.streams(listener, track_id)

        # deleting the track removes every stored file (original, transcodings, segments)
        assert media_store.keys()
        await s.creator.delete_track(me, track_id)
        assert media_store.keys() == []
        assert await s.media.deletions.pending() == []
    finally:
        await s.close()


@pytest.mark.parametrize(
    ("data", "error", "reason"),
    [
        (b"hello world, not audio" * 50, UnsupportedMediaType, "unsupported_format"),
        (b"\x00" * 4096, UnsupportedMediaType, "unsupported_format"),
        (None, Unprocessable, "corrupt_audio"),  # an mp3 whose frames are garbage
    ],
)
async def test_bad_files_are_refused_and_nothing_is_stored(
    sqlite_url: str,
    media_store: MediaStore,
    data: bytes | None,
    error: type[Exception],
    reason: str,
) -> None:
    s = await _services(sqlite_url, media_store)
    try:
        me = await owner(s)
        body = data if data is not None else audio(3)[:2000] + bytes(range(256)) * 40
        with pytest.raises(error) as raised:
            await upload(s, me, body)
        assert getattr(raised.value, "reason", None) == reason
        assert media_store.keys() == []
        assert list((media_store.media_dir / "tmp").iterdir()) == []
        assert (await s.creator.my_tracks(me, me.user_id or 0)).items == []
    finally:
        await s.close()


async def test_too_large_upload_is_413_and_leaves_nothing(
    sqlite_url: str, media_store: MediaStore
) -> None:
    s = await _services(sqlite_url, media_store, max_upload_bytes=10_000)
    try:
        me = await owner(s)
        with pytest.raises(PayloadTooLarge):
            await upload(s, me, audio(3))
        assert media_store.keys() == []
        assert list((media_store.media_dir / "tmp").iterdir()) == []
    finally:
        await s.close()


async def test_upload_quota_per_plan(sqlite_url: str, tmp_path: Path) -> None:
    s = await _services(sqlite_url, tmp_path, upload_quota_seconds={"free": 5, "premium": None})
    try:
        me = await owner(s)
        await upload(s, me, audio(3))
        with pytest.raises(ResourceExhausted) as exhausted:
            await upload(s, me, audio(3))
        assert exhausted.value.reason == "upload_quota_exceeded"
        assert "free plan allows 0h00m05s" in exhausted.value.message
        vip = await s.identity.create_user("vip", "correct horse battery", plan="premium")
        who = Viewer(user_id=vip.id, app_id=None, territory="DE", plan="premium")
        await upload(s, who, audio(3))
        await upload(s, who, audio(3))  # premium: unlimited
    finally:
        await s.close()


# ---------------------------------------------------------------- job queue (SQLite + PostgreSQL)


class Killed(BaseException):
    """Simulates the worker process dying mid-transcode (nothing is caught or recorded)."""


async def test_killed_worker_job_is_reclaimed_after_lease_and_finishes(
    database_url: str, media_store: MediaStore
) -> None:
    now = [utcnow()]
    s = await _services(database_url, media_store, lambda: now[0], lease=dt.timedelta(minutes=1))
    try:
        me = await owner(s)
        track_id = await upload(s, me, audio(3))
        real = s.media.jobs.transcoder

        def dies(*args: object) -> object:
            raise Killed

        s.media.jobs.transcoder = dies  # type: ignore[assignment]
        with pytest.raises(Killed):
            await MediaWorker(s.media, "worker-a").run_once()
        s.media.jobs.transcoder = real
        async with s.deps.db.read() as uow:
            media = (await uow.media.for_tracks([track_id]))[0]
            (job,) = await uow.media.jobs_of(media.id)
        assert (job.status, job.locked_by, job.attempts) == ("running", "worker-a", 1)

        survivor = MediaWorker(s.media, "worker-b")
        assert await survivor.run_once() is False  # the lease is still held
        now[0] += dt.timedelta(minutes=1, seconds=1)
        assert await survivor.run_once() is True  # stale lease reclaimed, job redone
        async with s.deps.db.read() as uow:
            (job,) = await uow.media.jobs_of(media.id)
        assert (job.status, job.attempts, job.locked_by) == ("done", 2, None)
        assert await status_of(s, track_id) == "finished"
        assert len(await s.tracks.streams(me, track_id)) == 3
    finally:
        await s.close()


async def test_only_one_worker_wins_a_claim(services: Services) -> None:
    me = await owner(services)
    await upload(services, me, audio(3))
    claims = await asyncio.gather(*(services.media.jobs.claim(f"w{i}") for i in range(4)))
    assert len([c for c in claims if c is not None]) == 1


async def test_failing_transcode_retries_then_marks_media_failed(
    database_url: str, tmp_path: Path
) -> None:
    s = await _services(database_url, tmp_path, max_attempts=2, retry_backoff=dt.timedelta(0))
    try:
        me = await owner(s)
        track_id = await upload(s, me, audio(3))

        def broken(*args: object) -> object:
            raise RuntimeError("encoder exploded")

        s.media.jobs.transcoder = broken  # type: ignore[assignment]
        assert await MediaWorker(s.media).run_until_idle() == 2
        async with s.deps.db.read() as uow:
            media = (await uow.media.for_tracks([track_id]))[0]
            (job,) = await uow.media.jobs_of(media.id)
        assert (media.status, job.status, job.attempts) == ("failed", "failed", 2)
        assert "encoder exploded" in media.status_reason
        assert await s.tracks.streams(me, track_id) == []

        # the operator fixed the encoder: `litestar media retry-failed` queues the job again
        s.media.jobs.transcoder = transcode_all
        env = {"DATABASE_URL": database_url, "SECRET_KEY": SECRET, "MEDIA_DIR": str(tmp_path)}
        result = await asyncio.to_thread(CliRunner().invoke, media_group, ["retry-failed"], env=env)
        assert result.exit_code == 0 and "queued 1 failed media job(s)" in result.stdout
        s.forget_records("media", [track_id])  # (another process changed it; no Redis here)
        assert await status_of(s, track_id) == "processing"
        assert await MediaWorker(s.media).run_until_idle() == 1
        assert await status_of(s, track_id) == "finished"
        assert await s.tracks.streams(me, track_id) != []
        assert await s.media.jobs.retry_failed() == 0
    finally:
        await s.close()


# ---------------------------------------------------------------- deletion queue


async def test_deletions_wait_out_an_unreachable_store_and_then_happen(
    sqlite_url: str, tmp_path: Path, s3_endpoint: str
) -> None:
    """The store is down when the track is deleted: its objects stay queued (durably, with a
    back-off) and are deleted once the store answers again; deleting again changes nothing."""
    up = MediaStore("s3", tmp_path / "media", s3_endpoint)
    now = [utcnow()]
    ok = build_services(sqlite_url, SECRET, lambda: now[0], media=up.config())
    down = build_services(sqlite_url, SECRET, media=up.config(s3=unreachable_s3()))
    try:
        me = await owner(ok)
        track_id = await upload(ok, me, audio(3))
        assert await MediaWorker(ok.media).run_until_idle() == 1
        stored = up.keys()
        assert len(stored) > 6  # original, 4 renditions (+ HLS segments), waveform

        await down.creator.delete_track(me, track_id)  # the store is unreachable
        assert up.keys() == stored
        queued = await ok.media.deletions.pending()
        assert len(queued) == 6 and all("/" not in k for k in queued)
        assert await ok.media.deletions.run_due() == 0  # backing off: not due yet
        assert up.keys() == stored

        now[0] += dt.timedelta(minutes=2)  # the store is back and the back-off passed
        assert await MediaWorker(ok.media).run_until_idle() == 1
        assert up.keys() == [] and await ok.media.deletions.pending() == []

        await ok.media.delete_objects(queued)  # idempotent: deleting them again is no error
        assert await ok.media.deletions.pending() == []
    finally:
        await down.close()
        await ok.close()


async def test_outputs_of_a_job_whose_track_was_deleted_meanwhile_are_deleted(
    sqlite_url: str, media_store: MediaStore
) -> None:
    s = await _services(sqlite_url, media_store)
    try:
        me = await owner(s)
        track_id = await upload(s, me, audio(3))
        real = s.media.jobs.transcoder

        def deleted_meanwhile(*args: object) -> object:
            result = real(*args)  # type: ignore[arg-type]
            asyncio.run_coroutine_threadsafe(s.creator.delete_track(me, track_id), loop).result()
            return result

        loop = asyncio.get_running_loop()
        s.media.jobs.transcoder = deleted_meanwhile  # type: ignore[assignment]
        await MediaWorker(s.media).run_until_idle()
        assert media_store.keys() == [] and await s.media.deletions.pending() == []
    finally:
        await s.close()


# ---------------------------------------------------------------- tracing


async def test_a_traced_worker_records_a_span_per_job(sqlite_url: str, tmp_path: Path) -> None:
    provider = TracerProvider()
    exported = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exported))
    config = MediaStore("local", tmp_path / "media", None).config()
    s = build_services(sqlite_url, SECRET, media=config, traced=True)
    try:
        track_id = await upload(s, await owner(s), audio(2))
        worker = MediaWorker(s.media, tracer=provider.get_tracer("test"))
        assert await worker.run_until_idle() == 1
        assert await status_of(s, track_id) == "finished"
    finally:
        await s.close()
        provider.shutdown()
    spans = exported.get_finished_spans()
    (job,) = [span for span in spans if span.name == "media.job"]
    assert job.attributes is not None and job.attributes["soundstack.outcome"] == "done"
    inside = [span for span in spans if span.parent and span.parent.span_id == job.context.span_id]
    assert any(span.name.startswith("MediaRepository.") for span in inside)
