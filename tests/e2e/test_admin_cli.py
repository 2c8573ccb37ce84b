"""`litestar users disable|enable` against a running server process sharing Redis: the
disabled user's tokens stop working there at once, sign-in fails like a wrong password, player
credentials are gone; enabling lets the same password sign in again."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from app.main import build_context
from app.value_added.common.errors import Unauthenticated
from tests.e2e.conftest import SECRET, settings_for
from tests.e2e.test_kit_processes import Server

pytestmark = pytest.mark.redis
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"


def _litestar(env: dict[str, str], *args: str) -> str:
    litestar = Path(sys.executable).with_name("litestar")
    done = subprocess.run(
        [str(litestar), *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


async def test_disable_revokes_at_once_across_processes_and_enable_restores_sign_in(
    sqlite_url: str, redis_url: str, redis_prefix: str, tmp_path: Path
) -> None:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "RATE_LIMIT_"))}
    env = base | {
        "DATABASE_URL": sqlite_url,
        "SECRET_KEY": SECRET,
        "BFFS": "public",
        "MEDIA_DIR": str(tmp_path / "media"),
        "IN_PROCESS_WORKERS": "false",
        "REDIS_URL": redis_url,
        "REDIS_PREFIX": redis_prefix,
    }
    server = Server(env, tmp_path / "server.log")
    settings = settings_for(
        sqlite_url, tmp_path, redis_url=redis_url, redis_prefix=redis_prefix, bffs=("public",)
    )
    ctx = build_context(settings)
    try:
        server.wait_ready(time.monotonic() + 90)
        identity = ctx.services.identity
        app = await identity.app_by_client_id(
            (await identity.create_app("admin cli", ["public"])).client_id
        )
        assert app is not None
        user = (await identity.create_user("mallory", PASSWORD)).id
        token = (await identity.issue_for_user(app, user)).access_token
        await identity.create_player_password(user)
        bearer = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(timeout=5) as http:
            r = await http.get(f"{server.url}/public/whoami", headers=bearer)
            assert r.status_code == 200 and r.json()["user_id"] == user  # now cached there

            out = await asyncio.to_thread(
                _litestar, env, "users", "disable", "--username", "mallory"
            )
            assert '"tokens_revoked":1' in out
            deadline = time.monotonic() + 2.0  # (the announcement crosses Redis pub/sub)
            while True:
                r = await http.get(f"{server.url}/public/whoami", headers=bearer)
                if r.status_code == 401 or time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.05)
            assert r.status_code == 401, "the server still accepts a disabled user's token"

        with pytest.raises(Unauthenticated) as refused:
            await identity.authenticate("mallory", PASSWORD)
        with pytest.raises(Unauthenticated) as wrong:
            await identity.authenticate("mallory", "not the password")
        assert refused.value.reason == wrong.value.reason  # nothing tells "disabled" apart
        assert await identity.player_password_created_at(user) is None

        out = await asyncio.to_thread(_litestar, env, "users", "enable", "--username", "mallory")
        assert '"was_disabled":true' in out
        assert await identity.authenticate("mallory", PASSWORD) == user
    finally:
        await ctx.close()
        server.stop()
