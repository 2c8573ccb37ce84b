"""Two real processes on one database and one Redis: a change published while one of them had
lost its subscription (a TCP proxy the test kills) is not served stale once it is back."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from app.main import build_context
from app.value_added.access import Viewer
from app.value_added.catalog import TrackChanges
from tests.e2e.conftest import SECRET, settings_for
from tests.factories import make_track, make_user
from tests.tcp_proxy import TcpProxy
from tests.tcp_proxy import free_port as _free_port

pytestmark = pytest.mark.redis


def _start(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory"]
    with log.open("wb") as out:
        return subprocess.Popen(
            [*command, "--port", str(port), "--no-server-header", "--no-proxy-headers"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _failed(proc: subprocess.Popen[bytes], log: Path) -> AssertionError:
    proc.kill()
    return AssertionError(f"the server did not start: {log.read_text()[-2000:]}")


async def _serve(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    """A server process, polled for /health without blocking this loop (the proxy runs here)."""
    proc = _start(env, port, log)
    deadline = time.monotonic() + 90  # (a loaded 2-core machine is slow to import everything)
    async with httpx.AsyncClient(timeout=0.5) as http:
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if (await http.get(f"http://127.0.0.1:{port}/health")).status_code == 200:
                    return proc
            except httpx.HTTPError:
                await asyncio.sleep(0.1)
    raise _failed(proc, log)


async def test_a_change_published_during_a_gap_is_not_served_stale(
    sqlite_url: str, redis_url: str, redis_prefix: str, tmp_path: Path
) -> None:
    target = urlsplit(redis_url)
    async with TcpProxy(target.hostname or "127.0.0.1", target.port or 6379) as proxy:
        through = target._replace(netloc=f"127.0.0.1:{proxy.port}").geturl()
        base = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "RATE_"))}
        env = base | {
            "DATABASE_URL": sqlite_url,
            "SECRET_KEY": SECRET,
            "BFFS": "public",
            "MEDIA_DIR": str(tmp_path / "media"),
            "IN_PROCESS_WORKERS": "false",
            "REDIS_URL": through,
            "REDIS_PREFIX": redis_prefix,
        }
        port = _free_port()
        server = await _serve(env, port, tmp_path / "a.log")
        writer = build_context(
            settings_for(sqlite_url, tmp_path, redis_url=redis_url, redis_prefix=redis_prefix)
        )
        await writer.start()
        try:
            services = writer.services
            made = await services.identity.create_app("gap", ["public"])
            owner = await make_user(services.deps.db)
            track = await make_track(services.deps.db, owner, title="Track")
            me = Viewer(user_id=owner, app_id=None, territory="DE", plan="free")
            url = f"http://127.0.0.1:{port}/public/tracks/{track}"
            params = {"client_id": made.client_id}
            async with httpx.AsyncClient(timeout=5) as http:

                async def title() -> str | int:
                    r = await http.get(url, params=params)
                    return r.json()["title"] if r.status_code == 200 else r.status_code

                # the bus works: a change is seen by the server process at once
                assert await title() == "Track"
                await services.creator.update_track(me, track, TrackChanges(title="Renamed"))
                await _eventually(title, "Renamed")
                assert await title() == "Renamed"  # (cached again, from the new record)

                await proxy.kill()  # the server's subscription is lost...
                await services.creator.update_track(me, track, TrackChanges(sharing="private"))
                await proxy.restore()  # ...and what was published meanwhile with it
                await _eventually(title, 404)
        finally:
            await writer.close()
            server.terminate()
            server.wait(timeout=10)


async def _eventually(read: object, expected: object, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    seen = None
    while time.monotonic() < deadline:
        seen = await read()  # type: ignore[operator]
        if seen == expected:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"still {seen!r}, expected {expected!r}")
