"""The record cache vouching for a provenance: O(1) while nothing changed, exact when anything
did (replaced, invalidated, expired or evicted entries)."""

from __future__ import annotations

import asyncio
from collections.abc import Hashable
from typing import Any

from app.caching.budget import CacheBudget, size_of
from app.caching.provenance import tracking
from app.foundation.cache import CacheSession, RecordCache


class Now:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_vouching_follows_every_kind_of_change() -> None:
    now = Now()
    cache = RecordCache(clock=now, ttl=60)
    cache.put_many("track", {1: "one", 2: "two"}, cache.epoch("track"))
    with tracking() as read:
        assert cache.get_many("track", [1, 2]) == {1: "one", 2: "two"}
    assert read.complete and cache.vouches_for(read)
    assert read.checked_at == cache.generation  # the next check is O(1)

    cache.put_many("user", {9: "nine"}, cache.epoch("user"))  # unrelated change
    assert cache.vouches_for(read)
    cache.invalidate("track", [2])
    assert not cache.vouches_for(read)

    cache.put_many("track", {2: "two again"}, cache.epoch("track"))
    with tracking() as again:
        cache.get_many("track", [1, 2])
    assert cache.vouches_for(again)
    now.t += 60  # the entries' TTL
    assert not cache.vouches_for(again)


def test_eviction_and_clear_end_vouching() -> None:
    budget = CacheBudget(records=size_of(1) * 32, responses=0, derived=0)  # (32 ints)
    cache = RecordCache(budget, clock=Now(), ttl=60)
    cache.put_many("track", {1: 1}, cache.epoch("track"))
    with tracking() as read:
        cache.get_many("track", [1])
    assert cache.vouches_for(read)
    cache.put_many("track", {n: n for n in range(2, 34)}, cache.epoch("track"))  # evicts 1
    assert not cache.vouches_for(read)

    with tracking() as fresh:
        cache.get_many("track", [33])
    assert cache.vouches_for(fresh)
    cache.clear()
    assert not cache.vouches_for(fresh)


def test_a_miss_makes_the_provenance_incomplete() -> None:
    cache = RecordCache(clock=Now())
    with tracking() as read:
        assert cache.get_many("track", [404]) == {}
    assert not read.complete


async def test_concurrent_misses_of_the_same_keys_load_once() -> None:
    cache = RecordCache()
    calls = 0

    async def load(keys: list[Hashable]) -> dict[Hashable, Any]:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.01)
        return {k: f"page {k}" for k in keys}

    results = await asyncio.gather(
        *(CacheSession(cache, reads=True).read_through("search", ["q"], load) for _ in range(20))
    )
    assert calls == 1 and all(r == {"q": "page q"} for r in results)
    assert cache.flights == {}


async def test_waiters_load_for_themselves_when_the_first_load_fails() -> None:
    cache = RecordCache()
    calls = 0

    async def flaky(keys: list[Hashable]) -> dict[Hashable, Any]:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.01)
        if calls == 1:
            raise ConnectionError("database went away")
        return {k: "ok" for k in keys}

    results = await asyncio.gather(
        *(CacheSession(cache, reads=True).read_through("track", [1], flaky) for _ in range(3)),
        return_exceptions=True,
    )
    assert isinstance(results[0], ConnectionError)
    assert results[1:] == [{1: "ok"}, {1: "ok"}] and cache.flights == {}
