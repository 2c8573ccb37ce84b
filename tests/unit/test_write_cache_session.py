"""A write unit of work's cache session keeps what it reads along, never what it changed."""

from __future__ import annotations

from app.foundation.cache import RecordCache
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
