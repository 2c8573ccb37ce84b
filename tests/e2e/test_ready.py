"""/ready says 503 and why when the database is behind or unreachable; bad settings exit cleanly."""

from __future__ import annotations

import gc
import os
import socket
import subprocess
import sys
from pathlib import Path

from litestar.testing import AsyncTestClient

from app.main import GC_THRESHOLDS, create_app
from tests.e2e.conftest import Harness, serving, settings_for

ROOT = Path(__file__).resolve().parents[2]


async def _ready(database_url: str, tmp_path: Path) -> tuple[int, dict[str, str]]:
    app = create_app(settings_for(database_url, tmp_path))
    async with AsyncTestClient(app, base_url="http://testserver.local") as client:
        response = await client.get("/ready")
        return response.status_code, response.json()


async def test_ready_when_migrated(sqlite_harness: Harness) -> None:
    response = await sqlite_harness.client.get("/ready")
    assert response.status_code == 200 and response.json() == {"status": "ready"}


async def test_not_ready_when_migrations_are_behind(tmp_path: Path) -> None:
    status, body = await _ready(f"sqlite+aiosqlite:///{tmp_path / 'unmigrated.db'}", tmp_path)
    assert status == 503
    assert "migrations not at head" in body["reason"]


async def test_not_ready_when_the_database_is_unreachable(tmp_path: Path) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"postgresql+asyncpg://nobody:secret@127.0.0.1:{port}/soundstack"
    status, body = await _ready(url, tmp_path)
    assert status == 503
    assert "database unreachable" in body["reason"]
    assert "secret" not in body["reason"]


def test_malformed_database_url_exits_with_one_line() -> None:
    env = {**os.environ, "DATABASE_URL": "nonsense"}
    env.pop("LITESTAR_APP", None)
    litestar = Path(sys.executable).parent / "litestar"
    done = subprocess.run(
        [str(litestar), "routes"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "DATABASE_URL" in lines[0]


async def test_a_server_freezes_its_start_up_heap_and_thaws_it_at_shutdown(
    sqlite_url: str, tmp_path: Path
) -> None:
    """A server moves what start-up built out of the garbage collector's way and spaces its
    collections out; an app built with `freeze_heap=False` (tests, probes: app after app in one
    process) leaves the collector as it found it."""
    gc.unfreeze()  # (the test session's frozen heap, tests/conftest.py: frozen again after)
    try:
        before = (gc.get_freeze_count(), gc.get_threshold())
        async with serving(create_app(settings_for(sqlite_url, tmp_path))):
            assert gc.get_freeze_count() > before[0] and gc.get_threshold() == GC_THRESHOLDS
        assert (gc.get_freeze_count(), gc.get_threshold()) == (0, before[1])
        async with serving(create_app(settings_for(sqlite_url, tmp_path), freeze_heap=False)):
            assert (gc.get_freeze_count(), gc.get_threshold()) == before
    finally:
        gc.collect()
        gc.freeze()
