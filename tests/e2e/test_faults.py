"""Faults degrade cleanly, with real TCP proxies between the app and PostgreSQL/Redis that the
tests kill and black-hole: 503 service_unavailable with Retry-After on every BFF within 2 s
while the database is away, a Redis breaker that costs requests nothing, recovery without a
restart."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy.engine import make_url

from app.edge.kit.context import EdgeContext
from app.edge.kit.ratelimit_store import RedisStore
from app.main import create_app
from tests.e2e.conftest import Harness, serving, settings_for
from tests.tcp_proxy import TcpProxy

ENTITLED = ("read", "write", "partner:catalog")
POSTGRES = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


def _through(url: str, proxy: TcpProxy) -> str:
    return make_url(url).set(host="127.0.0.1", port=proxy.port).render_as_string(False)


@pytest.fixture
async def db_proxy(database_url: str) -> AsyncIterator[TcpProxy]:
    target = make_url(database_url)
    async with TcpProxy(target.host or "127.0.0.1", target.port or 5432) as proxy:
        yield proxy


async def _requests(h: Harness, n: int) -> list[httpx.Response]:
    """One database-backed request per BFF (ids never read before: no cache answers them)."""
    app, secret = _app
    c = h.client
    song = {"id": f"tr-{n}", "u": "nobody", "p": "nothing", "c": "t", "v": "1.16.1", "f": "json"}
    token = {"grant_type": "client_credentials", "client_id": app, "client_secret": secret}
    return [
        await c.get(f"/mobile/tracks/{n}", params={"client_id": app}),
        await c.get(f"/web/tracks/{n}", params={"client_id": app}),
        await c.get(f"/public/tracks/{n}", params={"client_id": app}),
        await c.get(f"/partner/tracks/{n}", params={"client_id": app}),
        await c.get("/rest/getSong", params=song),
        await c.post("/auth/oauth/token", data=token),
    ]


_app: tuple[str, str] = ("", "")


async def _timed(h: Harness, n: int) -> tuple[float, list[httpx.Response]]:
    started = time.monotonic()
    responses = await _requests(h, n)
    return time.monotonic() - started, responses


def _unavailable(responses: list[httpx.Response]) -> None:
    for r in responses:
        assert r.status_code == 503, (r.request.url, r.status_code, r.text)
        assert r.headers["retry-after"] == "1"
        path = r.request.url.path
        if path.startswith("/auth"):  # (OAuth's own code for it, RFC 6749 5.2)
            assert r.json()["error"] == "temporarily_unavailable"
        elif path.startswith("/rest"):  # (the Subsonic envelope, failed)
            assert r.json()["subsonic-response"]["status"] == "failed"
        else:
            assert "service_unavailable" in r.text, r.text
        assert "password" not in r.text.lower()


def _served(responses: list[httpx.Response]) -> None:
    for r in responses:
        assert r.status_code < 500, (r.request.url, r.status_code, r.text)


@POSTGRES
async def test_database_killed_then_back(
    database_url: str, db_proxy: TcpProxy, tmp_path: Path
) -> None:
    global _app
    app = create_app(settings_for(_through(database_url, db_proxy), tmp_path))
    async with serving(app) as h:  # type: ignore[arg-type]
        info, secret = await h.new_app("faults", entitlements=ENTITLED)
        _app = (info.client_id, secret)
        _served(await _requests(h, 1001))
        await db_proxy.kill()
        for n in (1002, 1003):  # (the second finds the pool's connections gone too)
            took, responses = await _timed(h, n)
            _unavailable(responses)
            assert took < 2 * len(responses), took
            assert max(r.elapsed.total_seconds() for r in responses if r.elapsed) < 2
        await db_proxy.restore()
        _served(await _requests(h, 1004))  # (no restart)


@POSTGRES
async def test_database_black_holed_then_back(
    database_url: str, db_proxy: TcpProxy, tmp_path: Path
) -> None:
    global _app
    app = create_app(settings_for(_through(database_url, db_proxy), tmp_path))
    async with serving(app) as h:  # type: ignore[arg-type]
        info, secret = await h.new_app("faults", entitlements=ENTITLED)
        _app = (info.client_id, secret)
        _served(await _requests(h, 2001))
        db_proxy.black_hole()
        one = await _timed_one(h, 2002)
        assert one.status_code == 503 and one.headers["retry-after"] == "1", one.text
        await db_proxy.restore()
        _served(await _requests(h, 2003))


async def _timed_one(h: Harness, n: int) -> httpx.Response:
    started = time.monotonic()
    response = await h.client.get(f"/mobile/tracks/{n}", params={"client_id": _app[0]})
    assert time.monotonic() - started < 2.0
    return response


@pytest.fixture
async def redis_proxy(redis_url: str) -> AsyncIterator[TcpProxy]:
    target = urlsplit(redis_url)
    async with TcpProxy(target.hostname or "127.0.0.1", target.port or 6379) as proxy:
        yield proxy


async def _wait(condition: Any, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


@pytest.mark.redis
async def test_redis_black_holed_costs_requests_nothing_and_comes_back(
    sqlite_url: str, redis_url: str, redis_prefix: str, redis_proxy: TcpProxy, tmp_path: Path
) -> None:
    url = _redis_through(redis_url, redis_proxy)
    settings = settings_for(sqlite_url, tmp_path, redis_url=url, redis_prefix=redis_prefix)
    app = create_app(settings)
    async with serving(app) as h:  # type: ignore[arg-type]
        edge = EdgeContext.of(h.app.state)
        assert edge.records is not None and isinstance(edge.limits, RedisStore)
        await asyncio.wait_for(edge.records.subscribed.wait(), 5)
        info, _ = await h.new_app("faults")
        path, params = "/mobile/tracks/1", {"client_id": info.client_id}
        assert (await h.client.get(path, params=params)).status_code == 404

        redis_proxy.black_hole()
        first = await h.client.get(path, params=params)  # (trips the breaker: pays its timeout)
        assert first.status_code == 404 and edge.limits.breaker.is_open
        started = time.monotonic()
        for _ in range(20):
            assert (await h.client.get(path, params=params)).status_code == 404  # fail open
        assert (time.monotonic() - started) / 20 < 0.05  # (each pays nothing for Redis)
        await _wait(lambda: not edge.records.subscribed.is_set())  # (the heartbeat noticed)

        await redis_proxy.restore()
        await _wait(lambda: edge.records.subscribed.is_set())
        await h.client.get(path, params=params)  # (the breaker's background probe runs)
        await _wait(lambda: not edge.limits.breaker.is_open)


def _redis_through(url: str, proxy: TcpProxy) -> str:
    return urlsplit(url)._replace(netloc=f"127.0.0.1:{proxy.port}").geturl()
