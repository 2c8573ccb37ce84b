"""A write unit of work's cache session keeps what it reads along, never what it changed."""

from __future__ import annotations

import pytest

from app.foundation import cache as cache_module
from app.foundation.cache import CacheSession, RecordCache
from app.foundation.write_cache import WriteCacheSession


def test_companions_read_in_a_write_are_kept_except_the_keys_it_changed() -> None:
    cache = RecordCache()
    session = WriteCacheSession(cache, reads=True)
    epoch = session.epoch("policy")
    session.invalidate("policy", [1])  # this transaction changed track 1's policy
    session.store("policy", {1: "uncommitted", 2: "committed"}, session.epoch("policy"))
    assert cache.get_many("policy", [1, 2]) == {2: "committed"}
    # read at an epoch from before an invalidation of the kind: kept by nobody
    session.store("policy", {3: "stale"}, epoch)
    assert cache.get_many("policy", [3]) == {}


def test_what_a_write_kept_is_cached_once_it_commits() -> None:
    """`keep`: a write's own RETURNING row is cached after commit (its answer reads it),
    the last one kept for a key winning; never before commit, never after a rollback."""
    cache = RecordCache()
    session = CacheSession(cache, reads=False)
    for n in (1, 2):  # (two increments of the same row in one transaction: the last wins)
        session.invalidate("counts", [7])
        session.keep("counts", 7, n)
    session.invalidate("counts", [8])  # (another row: its own invalidation is no obstacle)
    session.keep("counts", 8, 80)
    assert cache.get_many("counts", [7, 8]) == {}  # (uncommitted)
    session.committed()
    assert cache.get_many("counts", [7, 8]) == {7: 2, 8: 80}
    rolled_back = CacheSession(cache, reads=False)
    rolled_back.invalidate("counts", [9])
    rolled_back.keep("counts", 9, 90)  # (its unit of work never calls committed)
    assert cache.get_many("counts", [9]) == {}


def test_a_kept_value_another_write_may_have_replaced_is_not_cached() -> None:
    cache = RecordCache()
    session = CacheSession(cache, reads=False)
    session.invalidate("counts", [7])
    session.keep("counts", 7, 1)
    cache.invalidate("counts", [7])  # another transaction (or process) changed the kind since
    session.committed()
    assert cache.get_many("counts", [7]) == {}
    again = CacheSession(cache, reads=False)
    again.invalidate("counts", [7])
    again.keep("counts", 7, 1)
    again.invalidate("counts", [7])  # changed again in this transaction, not kept again
    again.committed()
    assert cache.get_many("counts", [7]) == {}


def test_only_a_change_of_the_same_key_or_a_clear_refuses_a_kept_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Concurrent batches (PostgreSQL runs several) invalidate other keys of the same kind:
    those do not refuse a kept value; a clear does, and so does a key's invalidation the cache
    no longer remembers (its stamps are bounded)."""
    monkeypatch.setattr(cache_module, "STAMPS", 4)
    cache = RecordCache()
    outcomes = []
    for foreign in ("other key", "clear", "forgotten"):
        session = CacheSession(cache, reads=False)
        session.invalidate("counts", [7])
        session.keep("counts", 7, foreign)
        if foreign == "other key":
            cache.invalidate("counts", [8])
        elif foreign == "clear":
            cache.clear()
        else:
            cache.invalidate("counts", [7])
            cache.invalidate("counts", [10, 11, 12, 13])  # (7's stamp is dropped)
        session.committed()
        outcomes.append(cache.get_many("counts", [7]).get(7))
        cache.invalidate("counts", [7])
    assert outcomes == ["other key", None, None]
