"""Group commit across processes on the same hot rows: each batch locks the counter rows its
commands named first, in one order, so two processes' batches never deadlock and every count
stays exact."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import event, func, select, text

from app.foundation.counters.repository import track_counters, user_counters
from app.foundation.db import create_engine
from app.foundation.row_locks import RowLocks
from app.foundation.social.tables import CommentRow, FollowRow, TrackLikeRow
from app.foundation.unit_of_work import Database, UnitOfWork
from app.value_added.access import Viewer
from app.value_added.registry import Services, build_services
from tests.factories import make_track, make_user

SECRET = "test-secret-key-0123456789"
RETRIES = "soundstack_db_transaction_retries_total"
POSTGRES_ONLY = pytest.mark.parametrize(
    "database_url",  # (SQLite has one writer at a time: no row locks to order)
    [pytest.param("postgresql", marks=pytest.mark.postgres)],
    indirect=True,
)


def _viewer(user_id: int) -> Viewer:
    return Viewer(user_id=user_id, app_id=None, territory="DE", plan="free")


async def _scalar(db: Database, stmt: Any) -> Any:
    async with db.read() as uow:
        return (await uow.connection.execute(stmt)).scalar()


async def _until_a_backend_waits_for_a_lock(db: Database, seconds: float = 10.0) -> None:
    """Return once some session of this database waits for a row lock (or after `seconds`)."""
    waiting = (
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    async with db.engine.connect() as conn:
        for _ in range(int(seconds / 0.02)):
            if (await conn.exec_driver_sql(waiting)).scalar():
                return
            await asyncio.sleep(0.02)


async def _crossing_batches(database_url: str, hinted: bool) -> tuple[Counter[str], list[int]]:
    """Two processes' batches changing two counter rows in opposite orders, the second batch
    starting while the first holds its first row: how often each command ran, and the counts."""
    first, second = (Database(create_engine(database_url)) for _ in range(2))
    runs: Counter[str] = Counter()
    holding = asyncio.Event()
    try:
        owner = await make_user(first)
        a, b = await make_track(first, owner), await make_track(first, owner)

        def bump(track: int, name: str, hold: bool = False) -> Callable[[UnitOfWork], Any]:
            async def command(uow: UnitOfWork) -> int:
                runs[name] += 1
                counts = await uow.counters.tracks.add(track, likes=1)
                if hold and runs[name] == 1:  # until the other batch waits for a row
                    holding.set()
                    await _until_a_backend_waits_for_a_lock(first)
                return int(counts.likes)

            return command

        def rows(track: int) -> RowLocks | None:
            return RowLocks(track_counts=(track,)) if hinted else None

        def write(db: Database, track: int, name: str, hold: bool = False) -> Awaitable[int]:
            return db.write_grouped(bump(track, name, hold), locks=rows(track))

        async def later() -> list[int]:
            await holding.wait()
            return await asyncio.gather(write(second, b, "2b"), write(second, a, "2a"))

        async with asyncio.timeout(60):
            await asyncio.gather(write(first, a, "1a", hold=True), write(first, b, "1b"), later())
        stored = select(track_counters.c.likes).where(track_counters.c.track_id.in_([a, b]))
        async with first.read() as uow:
            counts = list((await uow.connection.execute(stored)).scalars())
    finally:
        await first.dispose()
        await second.dispose()
    return runs, counts


@POSTGRES_ONLY
async def test_a_batch_locks_its_rows_in_one_statement_text_however_many_it_names(
    database_url: str,
) -> None:
    """The lock statement names each kind's ids in one array parameter: the same text for one
    row as for three (asyncpg prepares it once per connection), and it still locks them all;
    it reads the policies' tracks along, without locking them."""
    db = Database(create_engine(database_url))
    texts: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        if "FOR NO KEY UPDATE" in statement:
            texts.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    free = text(  # (FOR UPDATE waits for a FOR SHARE lock too: SKIP LOCKED skips both)
        "SELECT (SELECT count(*) FROM (SELECT 1 FROM track_policies WHERE track_id = ANY(:ids)"
        " FOR UPDATE SKIP LOCKED) p), (SELECT count(*) FROM (SELECT 1 FROM track_counters"
        " WHERE track_id = ANY(:ids) FOR UPDATE SKIP LOCKED) c), (SELECT count(*) FROM"
        " (SELECT 1 FROM tracks WHERE id = ANY(:ids) FOR UPDATE SKIP LOCKED) t)"
    )
    try:
        owner = await make_user(db)
        tracks = [await make_track(db, owner) for _ in range(3)]
        async with db.write() as uow:
            for track in tracks:
                await uow.counters.tracks.add(track, likes=1)
        for named in ([tracks[1]], tracks):
            async with db.write() as uow:
                locks = RowLocks(policies=tuple(named), track_counts=tuple(named))
                held, read = await uow.counters.lock(locks)
                assert sorted(p.track_id for p in held) == sorted(named)
                assert sorted(t.id for t in read) == sorted(named)
                for track in read:
                    assert track == await uow.tracks.get(track.id)
                async with db.engine.connect() as other:
                    row = (await other.execute(free, {"ids": tracks})).one()
                assert tuple(row) == (3 - len(named), 3 - len(named), 3)
        assert len(texts) == 2 and texts[0] == texts[1]
    finally:
        await db.dispose()


@POSTGRES_ONLY
async def test_batches_that_name_their_rows_lock_them_in_one_order_and_never_deadlock(
    database_url: str,
) -> None:
    runs, counts = await _crossing_batches(database_url, hinted=True)
    assert runs == {"1a": 1, "1b": 1, "2a": 1, "2b": 1}  # nothing rolled back, nothing re-run
    assert counts == [2, 2]


@POSTGRES_ONLY
async def test_the_same_batches_without_their_rows_deadlock_and_are_run_again(
    database_url: str,
) -> None:
    """The control for the test above: it fails when the lock order does not matter."""
    runs, counts = await _crossing_batches(database_url, hinted=False)
    assert sum(runs.values()) > 4  # a batch lost the deadlock, rolled back, and ran again
    assert counts == [2, 2]


async def test_two_processes_engaging_with_the_same_few_tracks_and_users_count_exactly(
    database_url: str,
) -> None:
    processes: list[Services] = [build_services(database_url, SECRET) for _ in range(2)]
    db = processes[0].deps.db
    retries_before = REGISTRY.get_sample_value(RETRIES) or 0.0
    try:
        owner = await make_user(db)
        fans = [await make_user(db) for _ in range(16)]
        tracks = [await make_track(db, owner) for _ in range(4)]
        rng = random.Random(13)
        calls: list[Awaitable[Any]] = []
        for _ in range(160):
            services = rng.choice(processes)
            fan, track = rng.choice(fans), rng.choice(tracks)
            action = rng.choice(("like", "unlike", "comment", "follow", "unfollow"))
            if action in ("like", "unlike"):
                calls.append(getattr(services.tracks, action)(_viewer(fan), track))
            elif action == "comment":
                calls.append(services.tracks.comment(_viewer(fan), track, "hot row"))
            else:
                other = rng.choice([f for f in fans if f != fan])
                calls.append(getattr(services.users, action)(_viewer(fan), other))
        outcomes = await asyncio.gather(*calls, return_exceptions=True)
        assert [o for o in outcomes if isinstance(o, BaseException)] == []
        likes, comments = TrackLikeRow.__table__, CommentRow.__table__
        follows = FollowRow.__table__
        for track in tracks:
            stored = select(track_counters.c.likes, track_counters.c.comments).where(
                track_counters.c.track_id == track
            )
            async with db.read() as uow:
                row = (await uow.connection.execute(stored)).one()
            liked = select(func.count()).where(likes.c.track_id == track)
            commented = select(func.count()).where(comments.c.track_id == track)
            assert tuple(row) == (await _scalar(db, liked), await _scalar(db, commented))
        for fan in fans:
            stored = select(
                user_counters.c.likes,
                user_counters.c.comments,
                user_counters.c.followers,
                user_counters.c.followings,
            ).where(user_counters.c.user_id == fan)
            async with db.read() as uow:
                row = (await uow.connection.execute(stored)).one()
            expected = (
                await _scalar(db, select(func.count()).where(likes.c.user_id == fan)),
                await _scalar(db, select(func.count()).where(comments.c.user_id == fan)),
                await _scalar(db, select(func.count()).where(follows.c.followee_id == fan)),
                await _scalar(db, select(func.count()).where(follows.c.follower_id == fan)),
            )
            assert tuple(row) == expected
        if db.engine.dialect.name == "postgresql":  # every hot row was locked in one order
            assert (REGISTRY.get_sample_value(RETRIES) or 0.0) == retries_before
    finally:
        for services in processes:
            await services.close()
