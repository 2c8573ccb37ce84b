"""Group commit of engagement commands on real databases: exact counters under concurrency,
failures isolated per command, cache invalidations after commit, the batch cap."""

from __future__ import annotations

import asyncio
import random
import sqlite3
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import make_url

from app.foundation.counters.repository import track_counters, user_counters
from app.foundation.db import count_statements, create_engine
from app.foundation.group_commit import GroupCommit
from app.foundation.social.repository import Edges
from app.foundation.social.tables import TrackLikeRow
from app.foundation.unit_of_work import Database, UnitOfWork
from app.value_added.access import Viewer
from app.value_added.common.deps import Deps
from app.value_added.common.errors import NotFound
from app.value_added.common.fieldmask import FieldMask
from app.value_added.tracks import TracksService
from app.value_added.users import UsersService
from tests.factories import make_track, make_user

track_likes = TrackLikeRow.__table__
STATS = FieldMask.parse("stats")


class Services:
    """The consumer services over one Database with group commit on (on PostgreSQL too)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        deps = Deps.build(db, "test-secret-key-0123456789")
        self.tracks = TracksService(deps)
        self.users = UsersService(deps)

    @property
    def likes(self) -> GroupCommit[UnitOfWork]:
        group = self.db.group(cached_reads=True)
        assert group is not None
        return group


@pytest.fixture
async def services(database_url: str) -> AsyncIterator[Services]:
    db = Database(create_engine(database_url), group_commit=True)
    yield Services(db)
    await db.dispose()


def viewer(user_id: int) -> Viewer:
    return Viewer(user_id=user_id, app_id=None, territory="DE", plan="free")


async def scalar(db: Database, stmt: Any) -> Any:
    async with db.read() as uow:
        return (await uow.connection.execute(stmt)).scalar()


async def test_concurrent_likes_and_unlikes_end_with_exact_counters(services: Services) -> None:
    db = services.db
    owner = await make_user(db)
    fans = [await make_user(db) for _ in range(24)]
    tracks = [await make_track(db, owner) for _ in range(4)]
    rng = random.Random(7)
    plans: dict[int, list[tuple[str, int]]] = {fan: [] for fan in fans}
    expected = set()
    for fan in fans:
        for track in tracks:
            if rng.random() < 0.6:  # like it twice (idempotent), maybe take it back
                plans[fan] += [("like", track), ("like", track)]
                if rng.random() < 0.3:
                    plans[fan].append(("unlike", track))
                else:
                    expected.add((fan, track))
            else:  # unliking what was never liked changes nothing
                plans[fan].append(("unlike", track))

    async def play(fan: int) -> None:  # each fan's calls in order, the fans concurrently
        for action, track in plans[fan]:
            await getattr(services.tracks, action)(viewer(fan), track)

    await asyncio.gather(*(play(fan) for fan in fans))

    assert services.likes.largest > 1  # the likes really were committed in groups
    for track in tracks:
        likers = {f for f, t in expected if t == track}
        edges = select(func.count()).where(track_likes.c.track_id == track)
        stored = select(track_counters.c.likes).where(track_counters.c.track_id == track)
        assert await scalar(db, edges) == len(likers) == await scalar(db, stored)
        got = await services.tracks.get(viewer(owner), track, STATS)
        assert got.stats.likes == len(likers)  # type: ignore[union-attr]
    for fan in fans:
        stored = select(user_counters.c.likes).where(user_counters.c.user_id == fan)
        assert await scalar(db, stored) == sum(1 for f, _ in expected if f == fan)


async def test_many_users_liking_one_track_at_once_count_exactly(services: Services) -> None:
    db = services.db
    owner = await make_user(db)
    track = await make_track(db, owner)
    fans = [await make_user(db) for _ in range(40)]
    results = await asyncio.gather(*(services.tracks.like(viewer(f), track) for f in fans))
    assert sorted(r.count for r in results) == list(range(1, 41))  # each saw its own like
    assert services.likes.largest == 40
    got = await services.tracks.get(viewer(owner), track, STATS)
    assert got.stats.likes == 40  # type: ignore[union-attr]


async def test_a_failing_command_leaves_the_others_committed(services: Services) -> None:
    db = services.db
    owner = await make_user(db)
    track = await make_track(db, owner)
    hidden = await make_track(db, owner, sharing="private")
    fans = [await make_user(db) for _ in range(6)]
    calls = [services.tracks.like(viewer(f), track) for f in fans]
    calls.insert(2, services.tracks.like(viewer(fans[0]), hidden))
    calls.insert(5, services.tracks.like(viewer(fans[1]), 987_654))
    outcomes = await asyncio.gather(*calls, return_exceptions=True)
    assert isinstance(outcomes[2], NotFound) and isinstance(outcomes[5], NotFound)
    assert outcomes[2] is not outcomes[5]  # each caller its own exception
    assert services.likes.batches == 1  # failed before writing: no rollback, no retries
    liked = [o for i, o in enumerate(outcomes) if i not in (2, 5)]
    assert sorted(o.count for o in liked) == list(range(1, 7))  # type: ignore[union-attr]
    assert await scalar(db, select(func.count()).select_from(track_likes)) == 6
    hidden_likes = select(track_counters.c.likes).where(track_counters.c.track_id == hidden)
    assert await scalar(db, hidden_likes) == 0


async def test_a_command_failing_after_its_writes_commits_none_of_them(
    services: Services,
) -> None:
    db = services.db
    owner = await make_user(db)
    track = await make_track(db, owner)
    fans = [await make_user(db) for _ in range(4)]

    def like(fan: int, fail: bool) -> Any:
        async def command(uow: UnitOfWork) -> int:
            edges: Edges = uow.social.track_likes
            await edges.add(fan, track)
            counts = await uow.counters.tracks.add(track, likes=1)
            await uow.counters.users.add(fan, likes=1)
            if fail:
                raise ValueError(f"fan {fan} changed their mind")
            return int(counts.likes)

        return db.write_grouped(command, cached_reads=True)

    outcomes = await asyncio.gather(
        *(like(f, fail=i == 1) for i, f in enumerate(fans)), return_exceptions=True
    )
    assert isinstance(outcomes[1], ValueError) and str(fans[1]) in str(outcomes[1])
    assert services.likes.batches == 2  # [0..3] rolled back; [0], [1] alone; [2, 3] together
    assert sorted(o for i, o in enumerate(outcomes) if i != 1) == [1, 2, 3]
    likers = select(track_likes.c.user_id).where(track_likes.c.track_id == track)
    async with db.read() as uow:
        stored = set((await uow.connection.execute(likers)).scalars())
    assert stored == {fans[0], fans[2], fans[3]}
    failed = select(user_counters.c.likes).where(user_counters.c.user_id == fans[1])
    assert await scalar(db, failed) == 0
    got = await services.tracks.get(viewer(owner), track, STATS)
    assert got.stats.likes == 3  # type: ignore[union-attr]


async def test_reads_after_a_grouped_like_see_the_new_counts(services: Services) -> None:
    db = services.db
    owner = await make_user(db)
    track = await make_track(db, owner)
    fans = [await make_user(db) for _ in range(5)]
    before = await services.tracks.get(viewer(owner), track, STATS)  # now in the record cache
    assert before.stats.likes == 0  # type: ignore[union-attr]
    await asyncio.gather(*(services.tracks.like(viewer(f), track) for f in fans))
    after = await services.tracks.get(viewer(owner), track, STATS)
    assert after.stats.likes == 5  # type: ignore[union-attr]
    profile = await services.users.get(viewer(fans[0]), fans[0], STATS)
    assert profile.stats.likes == 1  # type: ignore[union-attr]
    liked = await services.tracks.get(viewer(fans[0]), track, FieldMask.parse("viewer"))
    assert liked.viewer.liked  # type: ignore[union-attr]


async def test_no_uncommitted_count_reaches_the_shared_cache(services: Services) -> None:
    db = services.db
    owner = await make_user(db)
    track = await make_track(db, owner)
    first, second, third = [await make_user(db) for _ in range(3)]
    await services.tracks.like(viewer(second), track)
    seen: list[dict[Any, Any]] = []

    async def peek(uow: UnitOfWork) -> None:
        seen.append(db.cache.get_many("counts:track_counters", [track]))
        raise LookupError("peeking only")

    outcomes = await asyncio.gather(
        services.tracks.like(viewer(first), track),  # changes the count …
        services.tracks.like(viewer(second), track),  # … which this one then reads
        db.write_grouped(peek, cached_reads=True),
        services.tracks.like(viewer(third), track),
        return_exceptions=True,
    )
    assert [getattr(o, "count", None) for o in outcomes[:2]] == [2, 2]
    assert isinstance(outcomes[2], LookupError) and outcomes[3].count == 3  # type: ignore[union-attr]
    # inside the (later rolled back) batch, the uncommitted count 2 was never cached
    assert seen[0] == {}
    got = await services.tracks.get(viewer(owner), track, STATS)
    assert got.stats.likes == 3  # type: ignore[union-attr]


async def test_invalidations_are_published_only_after_the_commit(sqlite_url: str) -> None:
    path = make_url(sqlite_url).database
    assert path
    db = Database(create_engine(sqlite_url))  # SQLite groups by default
    services = Services(db)
    owner = await make_user(db)
    track = await make_track(db, owner)
    fans = [await make_user(db) for _ in range(5)]
    published: list[tuple[str, list[Any], int]] = []

    def publish(kind: str, keys: list[Any]) -> None:
        with sqlite3.connect(path) as other:  # another connection sees only committed rows
            row = other.execute(
                "SELECT likes FROM track_counters WHERE track_id = ?", (track,)
            ).fetchone()
        published.append((kind, keys, row[0]))

    db.cache.publish = publish
    try:
        await asyncio.gather(*(services.tracks.like(viewer(f), track) for f in fans))
    finally:
        await db.dispose()
    counts = [likes for kind, keys, likes in published if kind == "counts:track_counters"]
    assert counts and all(likes == 5 for likes in counts)
    assert {k for kind, keys, _ in published if kind == "edges:track_likes" for k in keys} == set(
        fans
    )


async def test_a_transaction_publishes_each_kind_it_changed_once(services: Services) -> None:
    """A group commit's likes change the same few kinds: one message per kind per commit
    (each key once), not one per change."""
    db = services.db
    owner = await make_user(db)
    a, b = await make_track(db, owner), await make_track(db, owner)
    published: list[tuple[str, list[Any]]] = []
    db.cache.publish = lambda kind, keys: published.append((kind, list(keys)))
    async with db.write() as uow:
        await uow.counters.tracks.add(a, likes=1)
        await uow.counters.tracks.add(b, likes=1)
        await uow.counters.tracks.add(a, likes=1)
        await uow.counters.users.add(owner, likes=1)
    assert published == [("counts:track_counters", [a, b]), ("counts:user_counters", [owner])]


async def test_batches_are_capped(services: Services) -> None:
    db = services.db
    owner = await make_user(db)
    track = await make_track(db, owner)
    fans = [await make_user(db) for _ in range(10)]
    services.likes.max_batch = 4
    results = await asyncio.gather(*(services.tracks.like(viewer(f), track) for f in fans))
    assert sorted(r.count for r in results) == list(range(1, 11))
    assert services.likes.largest == 4 and services.likes.batches == 3  # 4 + 4 + 2


async def test_each_caller_counts_only_its_own_statements(services: Services) -> None:
    db = services.db
    owner = await make_user(db)
    track = await make_track(db, owner)
    fans = [await make_user(db) for _ in range(3)]
    await services.tracks.get(viewer(owner), track, STATS)  # warm the record cache

    async def like(fan: int) -> int:
        with count_statements() as n:
            await services.tracks.like(viewer(fan), track)
        return n[0]

    # PostgreSQL reads the track's policy under a share lock (a like and a concurrent change
    # of the track's visibility never count by each other's stale class): the batch takes it
    # for all its likes before they run, in a statement of its own that no caller counts.
    # Each like: the edge, the track's and the liker's counters — on PostgreSQL ONE statement
    # (data-modifying CTEs), on SQLite three (run inline, without a round trip)
    each = 1 if db.engine.dialect.name == "postgresql" else 3
    assert await asyncio.gather(*(like(f) for f in fans)) == [each] * 3


async def test_concurrent_follows_count_exactly(services: Services) -> None:
    db = services.db
    star = await make_user(db)
    fans = [await make_user(db) for _ in range(12)]
    results = await asyncio.gather(*(services.users.follow(viewer(f), star) for f in fans))
    assert sorted(r.followers for r in results) == list(range(1, 13))
    await asyncio.gather(*(services.users.unfollow(viewer(f), star) for f in fans[:5]))
    profile = await services.users.get(viewer(star), star, STATS)
    assert profile.stats.followers == 7  # type: ignore[union-attr]
    group = db.group(cached_reads=True)
    assert group is not None and group.largest == 12


async def test_a_write_counts_where_no_counters_row_exists_yet_and_a_repeat_counts_nothing(
    services: Services,
) -> None:
    """The edge and its counts are one statement on PostgreSQL: an entity without a counters
    row gets one after it (as a lone UPDATE then INSERT would), and a like repeated (the edge
    unchanged) changes no count and answers the count as it is."""
    db = services.db
    owner = await make_user(db)
    track = await make_track(db, owner)
    fan = await make_user(db)
    async with db.write() as uow:
        await (await uow.raw_connection()).execute(
            track_counters.delete().where(track_counters.c.track_id == track)
        )
        await (await uow.raw_connection()).execute(
            user_counters.delete().where(user_counters.c.user_id == fan)
        )
    db.cache.clear()
    first = await services.tracks.like(viewer(fan), track)
    again = await services.tracks.like(viewer(fan), track)
    assert (first.count, again.count) == (1, 1)
    liked = select(user_counters.c.likes).where(user_counters.c.user_id == fan)
    assert await scalar(db, liked) == 1
    follows = [await services.users.follow(viewer(fan), owner) for _ in range(2)]
    assert [f.followers for f in follows] == [1, 1]
    assert (await services.tracks.unlike(viewer(fan), track)).count == 0
    assert await scalar(db, liked) == 0


async def test_a_repeated_like_or_follow_answers_the_counts_as_another_process_left_them(
    services: Services, database_url: str
) -> None:
    """A like or follow that changes nothing answers the counts as they are: exact when
    another process changed them meanwhile (its cache not told), and on PostgreSQL read by
    the edge's own statement — the repeat costs what the first one did, not a read more."""
    db = services.db
    elsewhere = Services(Database(create_engine(database_url), group_commit=True))
    try:
        owner, fan, other = [await make_user(db) for _ in range(3)]
        track = await make_track(db, owner)

        async def counted(write: Any) -> tuple[Any, int]:
            db.cache.clear()  # (nothing cached: each answer's counts come from the database)
            with count_statements() as n:
                answer = await write
            return answer, n[0]

        first, first_statements = await counted(services.tracks.like(viewer(fan), track))
        await elsewhere.tracks.like(viewer(other), track)
        again, again_statements = await counted(services.tracks.like(viewer(fan), track))
        assert (first.count, again.count) == (1, 2)
        followed, follow_statements = await counted(services.users.follow(viewer(fan), owner))
        await elsewhere.users.follow(viewer(other), owner)
        repeat, repeat_statements = await counted(services.users.follow(viewer(fan), owner))
        assert (followed.followers, repeat.followers) == (1, 2)
        if db.engine.dialect.name == "postgresql":
            assert (again_statements, repeat_statements) == (first_statements, follow_statements)
        liked = select(track_counters.c.likes).where(track_counters.c.track_id == track)
        assert await scalar(db, liked) == 2
    finally:
        await elsewhere.db.dispose()


async def test_both_databases_group_commit_by_default(database_url: str) -> None:
    db = Database(create_engine(database_url))
    try:
        assert db.group() is not None and db.group(cached_reads=True) is not None
        assert (db.gate is None) == (db.engine.dialect.name == "postgresql")
        assert Database(db.engine, group_commit=False).group() is None
    finally:
        await db.dispose()


def _no_busy_wait(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=0")  # SQLITE_BUSY at once instead of sleeping
    cursor.close()


async def _read_modify_write(db: Database, user: int) -> None:
    """A write unit of work that holds the write lock across several awaits."""
    async with db.write() as uow:
        counts = (await uow.counters.user_counts([user]))[0]
        await asyncio.sleep(0)
        stmt = user_counters.update().where(user_counters.c.user_id == user)
        await uow.connection.execute(stmt.values(comments=counts.comments + 1))


async def _hammer(sqlite_url: str, gated: bool) -> tuple[list[BaseException], int]:
    db = Database(create_engine(sqlite_url))
    event.listen(db.engine.sync_engine, "connect", _no_busy_wait)
    if not gated:
        db.gate = None
    try:
        user = await make_user(db)
        outcomes = await asyncio.gather(
            *(_read_modify_write(db, user) for _ in range(20)), return_exceptions=True
        )
        async with db.read() as uow:
            counts = (await uow.counters.user_counts([user]))[0]
    finally:
        await db.dispose()
    return [o for o in outcomes if isinstance(o, BaseException)], counts.comments


async def test_the_writer_gate_serializes_writers_without_sqlite_busy(sqlite_url: str) -> None:
    errors, comments = await _hammer(sqlite_url, gated=True)
    assert errors == [] and comments == 20


async def test_without_the_gate_the_same_writers_hit_sqlite_busy(sqlite_url: str) -> None:
    """The control for the test above: it fails when writers are not queued in process."""
    errors, comments = await _hammer(sqlite_url, gated=False)
    assert errors and all("database is locked" in str(e) for e in errors)
    assert comments == 20 - len(errors)


async def test_grouped_statements_run_inline_and_the_pooled_connection_is_reset(
    sqlite_url: str,
) -> None:
    db = Database(create_engine(sqlite_url))
    owner = await make_user(db)
    track = await make_track(db, owner)

    async def driver_inline(uow: UnitOfWork) -> bool:
        raw = await (await uow.raw_connection()).get_raw_connection()
        return bool(raw.driver_connection.inline)

    async def like(uow: UnitOfWork) -> bool:
        await uow.social.track_likes.add(owner, track)
        return await driver_inline(uow)

    try:
        assert await db.write_grouped(like) is True
        async with db.write() as uow:  # the same pooled connection, a plain write again
            assert await driver_inline(uow) is False
        async with db.read() as uow:
            assert await driver_inline(uow) is False
            assert await uow.social.track_likes.exists(owner, track)
    finally:
        await db.dispose()


@pytest.mark.parametrize(
    "database_url",  # (SQLite locks the whole database up front: no row-lock deadlocks)
    [pytest.param("postgresql", marks=pytest.mark.postgres)],
    indirect=True,
)
async def test_batches_deadlocked_across_processes_are_retried(database_url: str) -> None:
    """Two processes' batches locking two rows in opposite orders, without naming them first
    (`counters=`): PostgreSQL aborts one, which is retried command by command — correct, but
    each such deadlock stalls for deadlock_timeout (test_group_commit_lock_order: named rows
    are locked in one order and never deadlock)."""
    first, second = (Database(create_engine(database_url), group_commit=True) for _ in range(2))
    owner = await make_user(first)
    a, b = await make_track(first, owner), await make_track(first, owner)
    holds = {a: asyncio.Event(), b: asyncio.Event()}

    def bump(track: int, then_wait_for: int | None = None) -> Any:
        async def command(uow: UnitOfWork) -> int:
            counts = await uow.counters.tracks.add(track, likes=1)
            if then_wait_for is not None:  # hold this row until the other batch holds its own
                holds[track].set()
                await holds[then_wait_for].wait()
            return int(counts.likes)

        return command

    try:
        outcomes = await asyncio.wait_for(
            asyncio.gather(
                first.write_grouped(bump(a, then_wait_for=b)),
                first.write_grouped(bump(b)),
                second.write_grouped(bump(b, then_wait_for=a)),
                second.write_grouped(bump(a)),
            ),
            timeout=30,
        )
        assert sorted(outcomes) == [1, 1, 2, 2]
        for track in (a, b):
            stored = select(track_counters.c.likes).where(track_counters.c.track_id == track)
            assert await scalar(first, stored) == 2
    finally:
        await first.dispose()
        await second.dispose()


async def test_nesting_that_would_wait_for_its_own_gate_raises_instead(sqlite_url: str) -> None:
    db = Database(create_engine(sqlite_url))
    owner = await make_user(db)

    async def nested_write(uow: UnitOfWork) -> None:
        async with db.write() as inner:
            await inner.counters.users.add(owner, likes=1)

    async def harmless(uow: UnitOfWork) -> int:
        return int((await uow.counters.users.add(owner, comments=1)).comments)

    try:
        outcomes = await asyncio.wait_for(
            asyncio.gather(
                db.write_grouped(harmless),
                db.write_grouped(nested_write),
                return_exceptions=True,
            ),
            timeout=30,
        )
        assert outcomes[0] == 1
        assert isinstance(outcomes[1], RuntimeError) and "own unit of work" in str(outcomes[1])
        with pytest.raises(RuntimeError, match="deadlocks"):
            async with asyncio.timeout(30), db.write() as uow:  # (timeout: same task)
                await uow.counters.users.add(owner, comments=1)
                await db.write_grouped(harmless)
        assert await db.write_grouped(harmless) == 2  # (the outer write rolled back)
    finally:
        await db.dispose()
