"""A viewer's state of a track in two real server processes sharing Redis: each process keeps the
viewer's sets (likes, reposts, followings, followers) in its record cache, and a write made
through one is seen on the next read of the other (the record-change bus), never stale."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.main import build_context
from tests.e2e.conftest import SECRET, settings_for
from tests.e2e.test_kit_processes import Server
from tests.factories import make_track, registered_app

pytestmark = pytest.mark.redis
SOON = 3.0
"""Seconds within which the other process must see a change (Redis delivers it in ms)."""


@pytest.fixture
def pair(
    sqlite_url: str, redis_url: str, redis_prefix: str, tmp_path: Path
) -> Iterator[tuple[Server, Server]]:
    """Two mobile servers on one SQLite file and one Redis."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "RATE_LIMIT_"))}
    env = base | {
        "DATABASE_URL": sqlite_url,
        "SECRET_KEY": SECRET,
        "BFFS": "mobile",
        "MEDIA_DIR": str(tmp_path / "media"),
        "IN_PROCESS_WORKERS": "false",
        "REDIS_URL": redis_url,
        "REDIS_PREFIX": redis_prefix,
    }
    started = (Server(env, tmp_path / "a.log"), Server(env, tmp_path / "b.log"))
    try:
        deadline = time.monotonic() + 90
        for s in started:
            s.wait_ready(deadline)
        yield started
    finally:
        for s in started:
            s.stop()


async def test_a_write_through_one_process_shows_in_the_viewer_state_of_the_other(
    pair: tuple[Server, Server], sqlite_url: str, redis_url: str, redis_prefix: str, tmp_path: Path
) -> None:
    a, b = pair
    ctx = build_context(
        settings_for(
            sqlite_url, tmp_path, redis_url=redis_url, redis_prefix=redis_prefix, bffs=("mobile",)
        )
    )
    try:
        identity = ctx.services.identity
        app = await registered_app(identity, "m", ["mobile"])
        owner = (await identity.create_user("owner", "correct horse battery")).id
        viewer = (await identity.create_user("viewer", "correct horse battery")).id
        track = await make_track(ctx.services.deps.db, owner)
        viewer_token = (await identity.issue_for_user(app, viewer)).access_token
        owner_token = (await identity.issue_for_user(app, owner)).access_token
        token = {"Authorization": f"OAuth {viewer_token}"}
        as_owner = {"Authorization": f"OAuth {owner_token}"}
        async with httpx.AsyncClient(timeout=5) as http:

            async def state_on(server: Server) -> dict[str, Any]:
                r = await http.get(f"{server.url}/mobile/tracks/{track}", headers=token)
                assert r.status_code == 200, r.text
                return {**r.json()["viewer"], **r.json()["user"]["relation"]}

            async def seen_on(server: Server, expected: dict[str, Any]) -> dict[str, Any]:
                deadline = time.monotonic() + SOON
                while (found := await state_on(server)) != expected:
                    if time.monotonic() > deadline:
                        break
                    await asyncio.sleep(0.02)
                return found

            expected = dict.fromkeys(("liked", "reposted", "following", "followed_by"), False)
            steps = [
                ("POST", f"/mobile/tracks/{track}/like", token, "liked", True),
                ("POST", f"/mobile/tracks/{track}/repost", token, "reposted", True),
                ("POST", f"/mobile/users/{owner}/follow", token, "following", True),
                ("POST", f"/mobile/users/{viewer}/follow", as_owner, "followed_by", True),
                ("DELETE", f"/mobile/users/{viewer}/follow", as_owner, "followed_by", False),
                ("DELETE", f"/mobile/tracks/{track}/like", token, "liked", False),
            ]
            for method, path, who, name, value in steps:
                for server in (a, b):  # (both processes hold the viewer's sets)
                    assert await state_on(server) == expected
                r = await http.request(method, f"{a.url}{path}", headers=who)
                assert r.is_success, (method, path, r.text)
                expected[name] = value
                assert await state_on(a) == expected, (method, path)  # (at once where written)
                assert await seen_on(b, expected) == expected, f"B is stale after {method} {path}"
    finally:
        await ctx.close()
