"""The cache contract (docs/architecture.md, "Caches"): one byte budget, true LRU, search pages
charged by size, short in-process life while the bus is down and a clean slate on every
(re)subscription, failed publishes counted, a pure access policy."""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import socket
import tracemalloc
from pathlib import Path

from app.caching.budget import CacheBudget, size_of
from app.caching.provenance import tracking
from app.edge.kit.revocations import RecordsBus
from app.edge.subsonic.dependencies import OffsetCursors
from app.foundation.cache import ISOLATED_TTL, RecordCache
from app.foundation.tracks.records import TrackRecord
from app.foundation.users.records import UserRecord
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


async def test_the_process_caches_take_the_configured_budget_and_ttl(
    sqlite_url: str, tmp_path: Path
) -> None:
    """CACHE_MAX_BYTES and CACHE_TTL_SECONDS reach the caches a process builds (an empty record
    cache is falsy — it has a length — and once silently gave way to a default one)."""
    total = 32 * 1024 * 1024
    settings = settings_for(sqlite_url, tmp_path, cache_max_bytes=total, cache_ttl_seconds=42.0)
    ctx = build_context(settings)
    try:
        records = ctx.services.deps.db.cache
        assert records.budget == CacheBudget.split(total)
        assert records.ttl == 42.0
        for key in range(total // 1000):
            records.put_many("t", {key: "x" * 400}, records.epoch("t"))
        assert records.bytes <= CacheBudget.split(total).records
    finally:
        await ctx.close()


def _track(i: int) -> TrackRecord:
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=i)
    return TrackRecord(
        id=1_000_000_000 + i, user_id=200_000_000 + i, title=f"Golden Vocal Horizon {i}",
        permalink=f"golden-vocal-horizon-{i}", description="", genre="Techno",
        tag_list="deep night vinyl", duration_ms=180_000 + i, bpm=120.0 + i % 7,
        key_signature="", isrc=None, license="all-rights-reserved", label_name="",
        purchase_url="", purchase_title="", release_date=None, artwork_key=None,
        created_at=at, updated_at=at,
    )  # fmt: skip


def _user(i: int) -> UserRecord:
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=i)
    return UserRecord(
        id=200_000_000 + i, username=f"listener{i}", permalink=f"listener{i}", first_name="",
        last_name="", description="", city="Berlin", country="DE", plan="free",
        avatar_key=None, website="", website_title="", created_at=at, updated_at=at,
    )  # fmt: skip


def test_what_the_budget_charges_covers_what_the_records_really_hold() -> None:
    """The estimate (size_of) is what bounds the process's memory: the records a full cache
    holds (as the catalog reads them: fresh strings, datetimes, numbers) must not cost more
    than they are charged, nor far less (a budget mostly unused)."""
    cache = _cache(1 << 40)
    n = 4_000
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        cache.put_many("track", {i: _track(i) for i in range(n)}, cache.epoch("track"))
        cache.put_many("user", {i: _user(i) for i in range(n)}, cache.epoch("user"))
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert held <= cache.bytes <= 2 * held, (held, cache.bytes)
