"""Kit over HTTP: rate limits per app, per user and for writes, on both counter stores."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from app.edge.kit.context import EdgeContext
from app.edge.kit.ratelimit_store import MemoryStore, RedisStore
from tests.e2e.test_kit_harness import TIGHT, Kit, serve, spec

FROZEN = 1_800_000_030.0
"""Halfway through a 60-second window, so no test straddles a reset."""


class TwoBFFs:
    def __init__(self, kit: Kit, web: AsyncTestClient[Litestar]) -> None:
        self.kit, self.web = kit, web


@pytest.fixture(params=["memory", "redis"])
async def bffs(
    request: pytest.FixtureRequest, sqlite_url: str, tmp_path: Path
) -> AsyncIterator[TwoBFFs]:
    """A 'mobile' and a 'web' BFF with tight budgets sharing one store (memory or Redis)."""
    redis_url = request.getfixturevalue("redis_url") if request.param == "redis" else None
    prefix = request.getfixturevalue("redis_prefix") if redis_url else "soundstack"
    specs = (spec("mobile", TIGHT), spec("web", TIGHT))
    async for (mobile, web), ctx, clock in serve(
        sqlite_url, tmp_path, *specs, redis_url=redis_url, redis_prefix=prefix
    ):
        await _freeze(ctx, redis_url, prefix)
        yield TwoBFFs(Kit(client=mobile, ctx=ctx, clock=clock), web)


async def _freeze(ctx: EdgeContext, redis_url: str | None, prefix: str) -> None:
    old = ctx.limits
    await old.close()
    if redis_url:
        assert isinstance(old, RedisStore)
        ctx.limits = RedisStore(redis_url, clock=lambda: FROZEN, prefix=prefix)
    else:
        assert isinstance(old, MemoryStore)
        ctx.limits = MemoryStore(clock=lambda: FROZEN)


async def test_per_app_budget_with_headers_and_429(bffs: TwoBFFs) -> None:
    kit = bffs.kit
    app = await kit.new_app("widget")
    params = {"client_id": app.client_id}
    for n in range(6):
        r = await kit.client.get("/catalog", params=params)
        assert r.status_code == 200, r.text
        # (a bare client_id is anonymous: also counted per address, RATE_LIMIT_ANONYMOUS_...)
        assert r.headers["ratelimit-policy"] == '"app";q=6;w=60, "anonymous";q=600;w=60'
        assert r.headers["ratelimit"] == f'"app";r={5 - n};t=30'
        assert r.headers["x-ratelimit-limit"] == "6"
        assert r.headers["x-ratelimit-remaining"] == str(5 - n)
        assert r.headers["x-ratelimit-reset"] == "30"
    r = await kit.client.get("/catalog", params=params)
    assert r.status_code == 429
    assert r.headers["retry-after"] == "30"
    body = r.json()
    assert body["reason"] == "rate_limited"
    assert body["rate_limit"] == {
        "policy": "app",
        "limit": 6,
        "window_seconds": 60,
        "per": "app",
        "retry_after": 30,
    }
    other = await kit.new_app("other")
    assert (
        await kit.client.get("/catalog", params={"client_id": other.client_id})
    ).status_code == 200


async def test_per_user_budget_and_tighter_write_budget(bffs: TwoBFFs) -> None:
    kit = bffs.kit
    app = await kit.new_app("player")
    alice, bob = await kit.new_user("alice"), await kit.new_user("bobby")
    alice_h = {"Authorization": f"OAuth {await kit.token(app, alice)}"}
    bob_h = {"Authorization": f"OAuth {await kit.token(app, bob)}"}
    for _ in range(2):
        assert (await kit.client.post("/things", headers=alice_h)).status_code == 201
    w = await kit.client.post("/things", headers=alice_h)
    assert w.status_code == 429 and w.json()["rate_limit"]["policy"] == "user-writes"
    # reads still have user budget left (4 per user: 3 were counted so far)
    r = await kit.client.get("/me", headers=alice_h)
    assert r.status_code == 200 and r.headers["x-ratelimit-remaining"] == "0"
    assert 'user";q=4;w=60' in r.headers["ratelimit-policy"]
    u = await kit.client.get("/me", headers=alice_h)
    assert u.status_code == 429 and u.json()["rate_limit"]["policy"] == "user"
    # bob has his own user budget, but the app budget (6) is shared: 5 hits used so far
    assert (await kit.client.get("/me", headers=bob_h)).status_code == 200
    a = await kit.client.get("/me", headers=bob_h)
    assert a.status_code == 429 and a.json()["rate_limit"]["policy"] == "app"


async def test_counters_of_two_bffs_never_mix(bffs: TwoBFFs) -> None:
    kit = bffs.kit
    app = await kit.new_app("both")
    params = {"client_id": app.client_id}
    for _ in range(6):
        assert (await kit.client.get("/catalog", params=params)).status_code == 200
    assert (await kit.client.get("/catalog", params=params)).status_code == 429
    web = await bffs.web.get("/catalog", params=params)
    assert web.status_code == 200 and web.headers["x-ratelimit-remaining"] == "5"


async def test_concurrent_hits_share_redis_calls_and_stay_exact(
    redis_url: str, redis_prefix: str
) -> None:
    store = RedisStore(redis_url, clock=lambda: FROZEN + 7, prefix=redis_prefix)
    calls = 0
    script = store._script

    async def counting(**kw: object) -> object:
        nonlocal calls
        calls += 1
        return await script(**kw)

    store._script = counting
    key = f"coalesce-{uuid.uuid4().hex}"
    try:
        results = await asyncio.gather(
            *(store.hit_many([(key, 60), (key + ":other", 60)]) for _ in range(50))
        )
        assert sorted(first[0] for first, _ in results) == list(range(1, 51))
        assert sorted(second[0] for _, second in results) == list(range(1, 51))
        assert {first[1] for first, _ in results} == {23}  # seconds left in the window
        assert 1 <= calls < 50  # batched: far fewer script calls than requests
        assert (await store.hit(key, 60))[0] == 51
    finally:
        await store.close()


async def test_an_unreachable_redis_lets_requests_through() -> None:
    store = RedisStore("redis://127.0.0.1:1/0", clock=lambda: FROZEN)
    try:
        assert await store.hit_many([("a", 60), ("b", 60)]) == [(0, 30), (0, 30)]
    finally:
        await store.close()
