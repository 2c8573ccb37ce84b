"""The operator's commands against a running server process sharing Redis: `users
disable|enable` (the disabled user's tokens stop working there at once, sign-in fails like a
wrong password, player credentials are gone; enabling lets the same password sign in again),
`apps revoke` (the app's tokens stop working at once, it gets no new one), `cache clear` (the
server forgets what it cached), and `tracks takedown <id>`."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path
from typing import Any

import click
import httpx
import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result

from app.cli import SoundstackCLI
from app.main import build_context
from app.value_added.common.errors import Unauthenticated
from tests.e2e.conftest import SECRET, settings_for
from tests.e2e.test_kit_processes import Server
from tests.factories import make_track

pytestmark = pytest.mark.redis
PASSWORD = "correct horse battery"


def _cli(env: dict[str, str], *args: str) -> Result:
    """The same commands in this process (a `litestar` process costs seconds to start): for
    what does not need another process."""
    group = click.Group("litestar")
    SoundstackCLI().on_cli_init(group)
    return CliRunner().invoke(group, list(args), env={k: None for k in os.environ} | env)


def _litestar(env: dict[str, str], *args: str) -> str:
    """A command that must succeed, its output. In this process too: the server it must reach is
    another process either way (a `litestar` process of its own cost seconds of CPU to start;
    tests/integration/test_cli.py runs the real entry point)."""
    done = _cli(env, *args)
    assert done.exit_code == 0, done.stderr
    return done.stdout


def _env(
    database_url: str, tmp_path: Path, redis_url: str = "", prefix: str = ""
) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "RATE_LIMIT_"))}
    env = base | {
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET,
        "BFFS": "public",
        "MEDIA_DIR": str(tmp_path / "media"),
        "IN_PROCESS_WORKERS": "false",
    }
    return env | ({"REDIS_URL": redis_url, "REDIS_PREFIX": prefix} if redis_url else {})


async def _until_status(
    http: httpx.AsyncClient, method: str, url: str, status: int, **kw: Any
) -> httpx.Response:
    """Request `url` until it answers `status` or 5 s pass: the announcements cross Redis
    pub/sub, the revoked tokens on one channel and the changed records on another."""
    deadline = time.monotonic() + 5.0
    while True:
        r = await http.request(method, url, **kw)
        if r.status_code == status or time.monotonic() > deadline:
            return r
        await asyncio.sleep(0.05)


async def test_disable_revokes_at_once_across_processes_and_enable_restores_sign_in(
    sqlite_url: str, redis_url: str, redis_prefix: str, tmp_path: Path
) -> None:
    env = _env(sqlite_url, tmp_path, redis_url, redis_prefix)
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
            r = await _until_status(http, "GET", f"{server.url}/public/whoami", 401, headers=bearer)
            assert r.status_code == 401, "the server still accepts a disabled user's token"

        with pytest.raises(Unauthenticated) as refused:
            await identity.authenticate("mallory", PASSWORD)
        with pytest.raises(Unauthenticated) as wrong:
            await identity.authenticate("mallory", "not the password")
        assert refused.value.reason == wrong.value.reason  # nothing tells "disabled" apart
        assert await identity.player_password_created_at(user) is None

        out = await asyncio.to_thread(_cli, env, "users", "enable", "--username", "mallory")
        assert out.exit_code == 0 and '"was_disabled":true' in out.stdout
        assert await identity.authenticate("mallory", PASSWORD) == user
    finally:
        await ctx.close()
        server.stop()


async def test_apps_revoke_revokes_at_once_across_processes_and_mints_nothing_new(
    sqlite_url: str, redis_url: str, redis_prefix: str, tmp_path: Path
) -> None:
    env = _env(sqlite_url, tmp_path, redis_url, redis_prefix)
    server = Server(env, tmp_path / "server.log")
    settings = settings_for(
        sqlite_url, tmp_path, redis_url=redis_url, redis_prefix=redis_prefix, bffs=("public",)
    )
    ctx = build_context(settings)
    try:
        server.wait_ready(time.monotonic() + 90)
        identity = ctx.services.identity
        created = await identity.create_app("revoked app", ["public"])
        app = await identity.app_by_client_id(created.client_id)
        assert app is not None and created.client_secret is not None
        user = (await identity.create_user("appfan", PASSWORD)).id
        token = (await identity.issue_for_user(app, user)).access_token
        bearer = {"Authorization": f"Bearer {token}"}
        secret = {
            "grant_type": "client_credentials",
            "client_id": created.client_id,
            "client_secret": created.client_secret,
        }
        async with httpx.AsyncClient(timeout=5, base_url=server.url) as http:
            r = await http.get("/public/whoami", headers=bearer)
            assert r.status_code == 200  # now cached there
            minted = await http.post("/auth/oauth/token", data=secret)
            assert minted.status_code == 200, minted.text
            public = {"client_id": created.client_id}
            assert (await http.get("/public/tracks", params=public)).status_code == 200

            out = await asyncio.to_thread(_litestar, env, "apps", "revoke", "--", created.client_id)
            assert '"tokens_revoked":2' in out and '"was_revoked":false' in out
            r = await _until_status(http, "GET", "/public/whoami", 401, headers=bearer)
            assert r.status_code == 401, "the server still accepts a revoked app's token"
            minted_bearer = {"Authorization": f"Bearer {minted.json()['access_token']}"}
            assert (await http.get("/public/whoami", headers=minted_bearer)).status_code == 401
            refused = await _until_status(http, "POST", "/auth/oauth/token", 401, data=secret)
            assert refused.status_code == 401 and refused.json()["error"] == "invalid_client"
            r = await _until_status(http, "GET", "/public/tracks", 401, params=public)
            assert r.status_code == 401, "the server still serves a revoked client_id"
            again = await asyncio.to_thread(_cli, env, "apps", "revoke", "--", created.client_id)
            assert again.exit_code == 0, again.stderr
            assert '"tokens_revoked":0' in again.stdout and '"was_revoked":true' in again.stdout
            assert (await http.post("/auth/oauth/token", data=secret)).status_code == 401

            unknown = await asyncio.to_thread(_cli, env, "apps", "revoke", "no-such-client")
            assert unknown.exit_code == 1
            assert unknown.stderr.strip() == "error: no app has that client_id"

            out = await asyncio.to_thread(_cli, env, "apps", "enable", "--", created.client_id)
            assert out.exit_code == 0 and '"was_revoked":true' in out.stdout
            r = await _until_status(http, "POST", "/auth/oauth/token", 200, data=secret)
            assert r.status_code == 200, "the enabled app still gets no token"
    finally:
        await ctx.close()
        server.stop()


async def _retitle_behind_the_caches(database_url: str, track: int, title: str) -> None:
    """Change a track's title in the database directly, so no process hears of it."""
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as conn:
            update = sa.text("UPDATE tracks SET title = :title WHERE id = :id")
            await conn.execute(update, {"title": title, "id": track})
    finally:
        await engine.dispose()


async def test_cache_clear_makes_every_process_forget_what_it_cached(
    sqlite_url: str, redis_url: str, redis_prefix: str, tmp_path: Path
) -> None:
    env = _env(sqlite_url, tmp_path, redis_url, redis_prefix)
    server = Server(env, tmp_path / "server.log")
    settings = settings_for(
        sqlite_url, tmp_path, redis_url=redis_url, redis_prefix=redis_prefix, bffs=("public",)
    )
    ctx = build_context(settings)
    try:
        server.wait_ready(time.monotonic() + 90)
        identity = ctx.services.identity
        app = await identity.create_app("cached app", ["public"])
        owner = (await identity.create_user("cacheowner", PASSWORD)).id
        track = await make_track(ctx.services.deps.db, owner, title="Before")
        url, params = f"/public/tracks/{track}", {"client_id": app.client_id}
        async with httpx.AsyncClient(timeout=5, base_url=server.url) as http:
            r = await http.get(url, params=params)
            assert r.status_code == 200 and r.json()["title"] == "Before"
            await _retitle_behind_the_caches(sqlite_url, track, "After")
            r = await http.get(url, params=params)
            assert r.json()["title"] == "Before", "the server did not cache the track"

            out = await asyncio.to_thread(_litestar, env, "cache", "clear")
            assert out.strip() == '{"cleared":true,"announced":true}'
            deadline = time.monotonic() + 5.0  # (the announcement crosses Redis pub/sub)
            while (await http.get(url, params=params)).json()["title"] != "After":
                assert time.monotonic() < deadline, "the server still serves its cached track"
                await asyncio.sleep(0.05)
    finally:
        await ctx.close()
        server.stop()


def test_cache_clear_without_redis_clears_this_process_and_says_so(
    sqlite_url: str, tmp_path: Path
) -> None:
    done = _cli(_env(sqlite_url, tmp_path), "cache", "clear")
    assert done.exit_code == 0, done.stderr
    assert done.stdout.strip() == '{"cleared":true,"announced":false}'
    assert "not announced to other processes" in done.stderr


async def test_tracks_takedown_takes_the_track_down(sqlite_url: str, tmp_path: Path) -> None:
    env = _env(sqlite_url, tmp_path)
    ctx = build_context(settings_for(sqlite_url, tmp_path, bffs=("public",)))
    try:
        owner = (await ctx.services.identity.create_user("takendown", PASSWORD)).id
        track = await make_track(ctx.services.deps.db, owner)
        out = await asyncio.to_thread(_cli, env, "tracks", "takedown", str(track))
        assert out.exit_code == 0 and out.stdout.strip() == f'{{"id":{track},"taken_down":true}}'
        missing = await asyncio.to_thread(_cli, env, "tracks", "takedown", "999999999")
        assert missing.exit_code == 1 and missing.stderr.startswith("error: ")
    finally:
        await ctx.close()
