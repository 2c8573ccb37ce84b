"""kit.throttle on both counter stores: waits grow with persistent failures (progressive
tiers), only failures count, and a subject is throttled only at the address that failed."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from app.edge.kit.ratelimit_store import MemoryStore, RateLimitStore, RedisStore
from app.edge.kit.throttle import SIGN_IN, Throttle

T0 = 1_800_000_000
"""A multiple of 3600: every tier's window starts here."""


class Clock:
    def __init__(self) -> None:
        self.now = float(T0)

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=["memory", "redis"])
async def store(request: pytest.FixtureRequest, clock: Clock) -> AsyncIterator[RateLimitStore]:
    if request.param == "memory":
        found: RateLimitStore = MemoryStore(clock=clock)
    else:
        url = request.getfixturevalue("redis_url")
        prefix = request.getfixturevalue("redis_prefix")
        found = RedisStore(url, clock=clock, prefix=prefix)
    yield found
    await found.close()


async def _fail(store: RateLimitStore, attempt: Throttle, times: int) -> None:
    for _ in range(times):
        assert await attempt.wait(store) is None
        await attempt.failed(store)


async def test_waits_grow_with_persistent_guessing(store: RateLimitStore, clock: Clock) -> None:
    attempt = Throttle(SIGN_IN, "192.0.2.1", "Alice")
    clock.now = T0 + 1
    for _ in range(3):
        assert await attempt.wait(store) is None  # asking counts nothing
    await _fail(store, attempt, 5)
    assert await attempt.wait(store) == 59  # the 1-minute tier: until the minute ends
    clock.now = T0 + 61
    await _fail(store, attempt, 5)
    assert await attempt.wait(store) == 900 - 61  # 10 in a quarter hour: until it ends
    for minute in range(15, 25, 1):
        clock.now = T0 + minute * 60 + 1
        if await attempt.wait(store) is None:
            await attempt.failed(store)
    assert await attempt.wait(store) == 3600 - (24 * 60 + 1)  # 20 in an hour
    # the same username elsewhere, and another username here, are not throttled
    assert await Throttle(SIGN_IN, "198.51.100.2", "alice").wait(store) is None
    assert await Throttle(SIGN_IN, "192.0.2.1", "bob").wait(store) is None


async def test_one_address_guessing_many_usernames_is_throttled(
    store: RateLimitStore, clock: Clock
) -> None:
    clock.now = T0 + 30
    for i in range(20):
        await Throttle(SIGN_IN, "192.0.2.1", f"user{i}").failed(store)
    assert await Throttle(SIGN_IN, "192.0.2.1", "anyone").wait(store) == 30
    assert await Throttle(SIGN_IN, "192.0.2.99", "anyone").wait(store) is None
