"""The cache contract (docs/architecture.md, "Caches"): one byte budget, true LRU, search pages
charged by size, short in-process life while the bus is down and a clean slate on every
(re)subscription, failed publishes counted, a pure access policy."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
from pathlib import Path

from app.caching.budget import CacheBudget, size_of
from app.caching.provenance import tracking
from app.edge.kit.revocations import RecordsBus
from app.edge.subsonic.dependencies import OffsetCursors
from app.foundation.cache import ISOLATED_TTL, RecordCache
from app.main import build_context
from app.value_added.access import Viewer, policy
from tests.e2e.conftest import settings_for
from tests.unit.test_access_matrix import make_policy as _policy


class Now:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def _cache(max_bytes: int, clock: Now | None = None) -> RecordCache:
    budget = CacheBudget(records=max_bytes, responses=0, derived=0)
    return RecordCache(budget, clock=clock or Now(), ttl=60)


def test_the_record_cache_is_bounded_by_bytes_not_entries() -> None:
    one = size_of("x" * 100)
    cache = _cache(one * 10 * 16)  # (room for 160 such values)
    for i in range(1000):
        cache.put_many("t", {i: "x" * 100}, cache.epoch("t"))
    assert cache.bytes <= one * 160 and len(cache) == 160


def test_a_search_page_is_charged_for_every_record_on_it() -> None:
    record = {"id": 1, "title": "a title", "description": "d" * 200}
    page = [record] * 200
    assert size_of(page) > 150 * size_of(record) / 2  # (not one entry's worth)
    cache = _cache(size_of(record) * 100)
    cache.put_many("search:1", {"q": page}, cache.epoch("search:1"))
    assert len(cache) == 0  # (larger than a sixteenth of the budget: never kept)


def test_a_hit_refreshes_recency() -> None:
    size = size_of("value")
    cache = _cache(size * 3 * 16)
    for key in range(48):
        cache.put_many("t", {key: "value"}, cache.epoch("t"))
    assert cache.get_many("t", [0]) == {0: "value"}  # (0 was the oldest: now the newest)
    cache.put_many("t", {"new": "value"}, cache.epoch("t"))
    assert cache.get_many("t", [0, 1]) == {0: "value"}  # (1 went instead)


def test_isolated_entries_live_briefly_and_every_change_of_state_clears() -> None:
    clock = Now()
    cache = _cache(1_000_000, clock)
    cache.put_many("t", {1: "before"}, cache.epoch("t"))
    cache.isolate(True)
    assert cache.get_many("t", [1]) == {}  # (what the lost bus might have invalidated)
    cache.put_many("t", {1: "during"}, cache.epoch("t"))
    clock.t += ISOLATED_TTL
    assert cache.get_many("t", [1]) == {}
    cache.put_many("t", {1: "during"}, cache.epoch("t"))
    cache.isolate(False)
    assert cache.get_many("t", [1]) == {}  # (resubscribed: the gap's changes were missed)
    cache.put_many("t", {1: "after"}, cache.epoch("t"))
    clock.t += ISOLATED_TTL
    assert cache.get_many("t", [1]) == {1: "after"}


async def test_every_resubscription_clears_what_depends_on_the_bus(
    sqlite_url: str, tmp_path: Path
) -> None:
    settings = settings_for(sqlite_url, tmp_path, redis_url="redis://127.0.0.1:1/0")
    ctx = build_context(settings)  # (not started: the buses never connect)
    try:
        assert ctx.records is not None and ctx.revocations is not None
        records = ctx.services.deps.db.cache
        ctx.records.on_subscribed()
        records.put_many("t", {1: "cached"}, records.epoch("t"))
        with tracking() as provenance:
            records.get_many("t", [1])
        ctx.responses.put("key", [], b"body", b"etag", provenance)
        assert len(ctx.responses) == 1
        ctx.records.on_lost()
        assert len(records) == 0 and len(ctx.responses) == 0
        records.put_many("t", {1: "cached"}, records.epoch("t"))
        ctx.records.on_subscribed()
        assert len(records) == 0
    finally:
        await ctx.close()


async def test_a_failed_publish_is_logged_and_counted() -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    bus = RecordsBus(f"redis://127.0.0.1:{port}/0", "test")
    try:
        await bus.publish_json({"kind": "t", "keys": [1]})
        await asyncio.wait_for(bus.publish_json({"kind": "t", "keys": [2]}), 5)
        assert bus.failed_publishes == 2
    finally:
        await bus.close()


def test_the_policy_returns_when_a_decision_changes_and_records_nothing() -> None:
    now = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    later = now + dt.timedelta(days=1)
    stranger = Viewer(user_id=2, app_id=None, territory="DE", plan="free")
    owner = Viewer(user_id=1, app_id=None, territory="DE", plan="free")
    unreleased = _policy(release_at=later)
    with tracking() as provenance:
        assert not policy.track_visible(stranger, 1, unreleased, now)
    assert provenance.valid_until is None  # (pure: the caller records)
    assert policy.visible_until(stranger, 1, unreleased, now) == later
    assert policy.visible_until(owner, 1, unreleased, now) is None
    assert policy.visible_until(stranger, 1, _policy(release_at=now), now) is None


def test_every_cache_draws_on_one_budget_and_the_shares_add_up() -> None:
    total = 10 * 1024 * 1024
    budget = CacheBudget.split(total)
    assert all(share > 0 for share in budget) and sum(budget) <= total
    positions = OffsetCursors(budget.positions)
    for offset in range(0, 250_000, 50):  # (a player paging through a long listing)
        positions.put(("songs", offset), ("cursor" * 8, 0))
    assert 100 < len(positions) < budget.positions // 100  # (bytes, not a count, bound it)
    assert positions.get(("songs", 0)) is None and positions.get(("songs", 249_950)) is not None
