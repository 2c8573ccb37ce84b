"""Record caches of two processes stay coherent through the Redis record-change bus."""

from __future__ import annotations

import asyncio
from pathlib import Path

from app.main import build_context
from app.value_added.access import Viewer
from app.value_added.common.fieldmask import FieldMask
from tests.e2e.conftest import settings_for
from tests.factories import make_track, make_user

STATS = FieldMask.parse("stats")


async def test_a_like_in_one_process_refreshes_the_other_process_cache(
    sqlite_url: str, redis_url: str, redis_prefix: str, tmp_path: Path
) -> None:
    settings = settings_for(sqlite_url, tmp_path, redis_url=redis_url, redis_prefix=redis_prefix)
    a, b = build_context(settings), build_context(settings)
    await a.start()
    await b.start()
    try:
        assert a.records and b.records
        await asyncio.wait_for(b.records.subscribed.wait(), 5)
        db = a.services.deps.db
        owner, fan = await make_user(db), await make_user(db)
        track = await make_track(db, owner)
        who = Viewer(user_id=fan, app_id=None, territory="DE", plan="free")
        cached = await b.services.tracks.get(who, track, STATS)
        assert cached.stats.likes == 0  # type: ignore[union-attr]
        await a.services.tracks.like(who, track)
        for _ in range(50):
            seen = await b.services.tracks.get(who, track, STATS)
            if seen.stats.likes == 1:  # type: ignore[union-attr]
                break
            await asyncio.sleep(0.05)
        assert seen.stats.likes == 1  # type: ignore[union-attr]
    finally:
        await a.close()
        await b.close()


async def test_without_the_bus_the_other_cache_is_stale_until_its_ttl(
    sqlite_url: str, tmp_path: Path
) -> None:
    """The control: proves the cache is real (and why REDIS_URL matters with many processes)."""
    settings = settings_for(sqlite_url, tmp_path)
    a, b = build_context(settings), build_context(settings)
    try:
        db = a.services.deps.db
        owner, fan = await make_user(db), await make_user(db)
        track = await make_track(db, owner)
        who = Viewer(user_id=fan, app_id=None, territory="DE", plan="free")
        await b.services.tracks.get(who, track, STATS)
        await a.services.tracks.like(who, track)
        stale = await b.services.tracks.get(who, track, STATS)
        fresh = await a.services.tracks.get(who, track, STATS)
        assert stale.stats.likes == 0 and fresh.stats.likes == 1  # type: ignore[union-attr]
    finally:
        await a.close()
        await b.close()
