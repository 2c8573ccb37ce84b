"""The record cache vouching for a provenance: O(1) while nothing changed, exact when anything
did (replaced, invalidated, expired or evicted entries)."""

from __future__ import annotations

from app.foundation.cache import RecordCache, tracking


class Now:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_vouching_follows_every_kind_of_change() -> None:
    now = Now()
    cache = RecordCache(max_entries=3, clock=now, ttl=60)
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
    cache = RecordCache(max_entries=2, clock=Now(), ttl=60)
    cache.put_many("track", {1: "one"}, cache.epoch("track"))
    with tracking() as read:
        cache.get_many("track", [1])
    assert cache.vouches_for(read)
    cache.put_many("track", {2: "two", 3: "three"}, cache.epoch("track"))  # evicts 1
    assert not cache.vouches_for(read)

    with tracking() as fresh:
        cache.get_many("track", [3])
    assert cache.vouches_for(fresh)
    cache.clear()
    assert not cache.vouches_for(fresh)


def test_a_miss_makes_the_provenance_incomplete() -> None:
    cache = RecordCache(clock=Now())
    with tracking() as read:
        assert cache.get_many("track", [404]) == {}
    assert not read.complete
