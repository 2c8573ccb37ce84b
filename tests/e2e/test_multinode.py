"""A multi-node deployment, for real: PostgreSQL + Redis + an S3 server, two app processes
(uvicorn, no in-process workers, no shared disk) and media worker processes.

Upload through app A, a worker transcodes, stream through app B with Range; a like on B is seen
on A, a track made private on A is hidden on B (and its old stream URL stops); a worker killed
mid-job is replaced by another that finishes the job once the lease runs out.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.edge.kit.context import EdgeContext
from app.main import build_context
from tests.conftest import MediaStore
from tests.e2e.conftest import SECRET, settings_for
from tests.e2e.test_kit_processes import Server
from tests.factories import registered_app
from tests.integration.test_media_audio import decoded_seconds, sine

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
LEASE_SECONDS = 2
SOON = 3.0
"""Seconds within which another process must see a change (Redis delivers it in milliseconds)."""


class Worker:
    """`litestar media worker` in a process of its own."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self._log = log.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "litestar", "media", "worker"],
            env=env | {"LITESTAR_APP": "app.main:create_app"},
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def kill(self) -> None:
        """As a machine dying would: no signal handler runs, the lease is left behind."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._log.close()


class Cluster:
    def __init__(self, env: dict[str, str], tmp_path: Path) -> None:
        self.env = env
        self.tmp_path = tmp_path
        self.a = Server(env | {"MEDIA_DIR": str(tmp_path / "a")}, tmp_path / "a.log")
        self.b = Server(env | {"MEDIA_DIR": str(tmp_path / "b")}, tmp_path / "b.log")
        self.workers = [self.worker("w1")]

    def worker(self, name: str) -> Worker:
        media_dir = str(self.tmp_path / name)
        return Worker(self.env | {"MEDIA_DIR": media_dir}, self.tmp_path / f"{name}.log")

    def stop(self) -> None:
        procs = [w.proc for w in self.workers] + [self.a.proc, self.b.proc]
        for proc in procs:  # all shut down together, then each is waited for
            if proc.poll() is None:
                proc.terminate()
        for w in self.workers:
            w.stop()
        self.a.stop()
        self.b.stop()


@pytest.fixture
def cluster(
    database_url: str, redis_url: str, redis_prefix: str, media_store: MediaStore, tmp_path: Path
) -> Iterator[Cluster]:
    base = {
        k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "RATE_LIMIT_", "AWS_"))
    }
    env = (
        base
        | media_store.env()
        | {
            "DATABASE_URL": database_url,
            "SECRET_KEY": SECRET,
            "REDIS_URL": redis_url,
            "REDIS_PREFIX": redis_prefix,
            "BFFS": "public",
            "IN_PROCESS_WORKERS": "false",
            "MEDIA_JOB_LEASE_SECONDS": str(LEASE_SECONDS),
            "VAR_DIR": str(tmp_path / "var"),
        }
    )
    started = Cluster(env, tmp_path)
    try:
        deadline = time.monotonic() + 40
        started.a.wait_ready(deadline)
        started.b.wait_ready(deadline)
        yield started
    finally:
        started.stop()


async def _eventually(check: Any, seconds: float = SOON) -> Any:
    """Poll `check()` (an awaitable factory) until it returns something truthy (often for
    what should be at once, every quarter second for what takes a while)."""
    deadline = time.monotonic() + seconds
    every = 0.02 if seconds <= SOON else 0.25
    while True:
        found = await check()
        if found or time.monotonic() > deadline:
            return found
        await asyncio.sleep(every)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize("media_store", ["s3"], indirect=True)
async def test_two_apps_and_workers_share_media_state_and_jobs(
    cluster: Cluster,
    database_url: str,
    redis_url: str,
    redis_prefix: str,
    media_store: MediaStore,
    tmp_path: Path,
) -> None:
    a, b = cluster.a.url, cluster.b.url
    settings = settings_for(
        database_url,
        tmp_path,
        redis_url=redis_url,
        redis_prefix=redis_prefix,
        bffs=("public",),
        **media_store.settings(),
    )
    ctx: EdgeContext = build_context(settings)
    ctx.services.deps.db.cache.enabled = False  # an observer: always read the database
    try:
        identity = ctx.services.identity
        app = await registered_app(identity, "multinode", ["public"])
        artist = (await identity.create_user("artist", "correct horse battery")).id
        fan = (await identity.create_user("fan", "correct horse battery")).id
        stranger = (await identity.create_user("stranger", "correct horse battery")).id
        auth = {
            who: {
                "Authorization": f"Bearer {(await identity.issue_for_user(app, who)).access_token}"
            }
            for who in (artist, fan, stranger)
        }
        async with httpx.AsyncClient(timeout=30) as http:

            async def upload(seconds: float, title: str) -> str:
                r = await http.post(
                    f"{a}/public/tracks",
                    data={"track[title]": title},
                    files={"track[asset_data]": (f"{title}.mp3", sine(seconds), "audio/mpeg")},
                    headers=auth[artist],
                )
                assert r.status_code == 201, r.text
                return str(r.json()["urn"])

            # upload through A; a worker (another process, another disk) transcodes
            urn = await upload(4, "first")

            async def streams_on_b() -> dict[str, str]:
                r = await http.get(f"{b}/public/tracks/{urn}/streams", headers=auth[fan])
                assert r.status_code == 200, r.text
                return dict(r.json())

            found = await _eventually(streams_on_b, 90)
            assert found, "the worker did not transcode the upload"
            mp3 = found["http_mp3_128_url"]
            assert mp3.startswith(f"{b}/media/streams/")
            whole = await http.get(mp3)
            assert whole.status_code == 200 and abs(decoded_seconds(whole.content) - 4) < 0.2
            part = await http.get(mp3, headers={"Range": "bytes=100-199"})
            assert part.status_code == 206 and part.content == whole.content[100:200]

            # a like on B is seen on A
            assert (await http.post(f"{b}/public/likes/tracks/{urn}", headers=auth[fan])).is_success

            async def liked_on_a() -> bool:
                r = await http.get(f"{a}/public/tracks/{urn}", headers=auth[fan])
                return bool(r.json()["favoritings_count"] == 1 and r.json()["user_favorite"])

            assert await _eventually(liked_on_a), "A does not see the like made on B"

            # made private on A: hidden on B, and the stream URL B issued stops at once
            seen = await http.get(f"{b}/public/tracks/{urn}", headers=auth[stranger])
            assert seen.status_code == 200
            changed = await http.put(
                f"{a}/public/tracks/{urn}",
                json={"track": {"sharing": "private"}},
                headers=auth[artist],
            )
            assert changed.status_code == 200, changed.text

            async def hidden_on_b() -> bool:
                r = await http.get(f"{b}/public/tracks/{urn}", headers=auth[stranger])
                return r.status_code == 404

            assert await _eventually(hidden_on_b), "B still shows a track made private on A"
            assert (await http.get(mp3)).status_code == 404

            # a worker killed mid-job: another one takes the job over once the lease expires
            second_urn = await upload(20, "second")
            second = int(second_urn.rsplit(":", 1)[1])

            async def running() -> Any:
                async with ctx.services.deps.db.read() as uow:
                    media = await uow.media.for_tracks([second])
                    jobs = await uow.media.jobs_of(media[0].id) if media else []
                return jobs and jobs[0].status == "running" and jobs[0].locked_by

            claimed_by = await _eventually(running, 60)
            assert claimed_by, "no worker claimed the second upload"
            cluster.workers[0].kill()
            cluster.workers.append(cluster.worker("w2"))

            async def finished() -> Any:
                async with ctx.services.deps.db.read() as uow:
                    media = await uow.media.for_tracks([second])
                    jobs = await uow.media.jobs_of(media[0].id)
                return media[0].status == "finished" and jobs

            jobs = await _eventually(finished, 120)
            assert jobs, "the job of the killed worker was never finished"
            # (at least the killed worker's attempt and the one that finished it; on a loaded
            # machine a lease can also run out once before that, which is the lease's point)
            assert (jobs[0].status, jobs[0].locked_by) == ("done", None) and jobs[0].attempts >= 2
            r = await http.get(f"{b}/public/tracks/{second_urn}/streams", headers=auth[fan])
            assert r.status_code == 200 and "http_mp3_128_url" in r.json()

            # a worker asked to stop (SIGTERM, as orchestrators do) stops promptly and cleanly
            survivor = cluster.workers[-1].proc
            survivor.terminate()
            assert await asyncio.to_thread(survivor.wait, 10) == 0
    finally:
        await ctx.close()
