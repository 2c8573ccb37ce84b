"""Failed-attempt throttling on both counter stores: only failures count, a key is blocked
after its limit, other keys are not, and peeking never counts."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from app.edge.kit.ratelimit import Attempts, attempts_blocked, count_failure
from app.edge.kit.ratelimit_store import MemoryStore, RateLimitStore, RedisStore

NOW = 1_800_000_030.0
"""Halfway through a 300-second window."""


@pytest.fixture(params=["memory", "redis"])
async def store(request: pytest.FixtureRequest) -> AsyncIterator[RateLimitStore]:
    if request.param == "memory":
        found: RateLimitStore = MemoryStore(clock=lambda: NOW)
    else:
        url = request.getfixturevalue("redis_url")
        prefix = request.getfixturevalue("redis_prefix")
        found = RedisStore(url, clock=lambda: NOW, prefix=prefix)
    yield found
    await found.close()


async def test_failures_block_their_keys_only(store: RateLimitStore) -> None:
    here = Attempts((("ip:1.2.3.4", 5), ("user:ana@1.2.3.4", 2)), 300)
    elsewhere = Attempts((("ip:5.6.7.8", 5), ("user:ana@5.6.7.8", 2)), 300)
    for _ in range(3):
        assert await attempts_blocked(store, here) is None  # peeking counts nothing
    await count_failure(store, here)
    assert await attempts_blocked(store, here) is None
    await count_failure(store, here)
    wait = await attempts_blocked(store, here)
    assert wait is not None and 0 < wait <= 300
    assert await attempts_blocked(store, elsewhere) is None
