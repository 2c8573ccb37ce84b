"""The miss path's reads: statements compiled once give exactly what SQLAlchemy Core gives, and on
SQLite they run on the event loop's thread (no thread hop, no BEGIN/COMMIT, no pooled
connection) while writers commit concurrently, falling back to a connection's thread when the
database is busy."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
import threading
import time
from collections.abc import AsyncIterator
from typing import Any

import msgspec
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode
from sqlalchemy import Float, bindparam, event, func, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app.faults import DependencyUnavailable
from app.foundation.counters.records import TrackCounts, UserCounts
from app.foundation.db import (
    MAX_CONNECTIONS,
    POOL_SIZE,
    READ_CONNECTIONS,
    count_statements,
    create_engine,
)
from app.foundation.policies.records import TrackPolicyRecord
from app.foundation.policies.repository import policies
from app.foundation.prepared import Prepared
from app.foundation.query import fetch_all, records_by_keys, select_records
from app.foundation.social import repository as social_repository
from app.foundation.tracks.records import TrackRecord
from app.foundation.tracks.repository import tracks
from app.foundation.unit_of_work import Database
from app.foundation.users.records import UserRecord
from app.foundation.users.repository import users
from app.telemetry.tracing import tracer_of, tracing_with
from app.value_added.registry import build_services
from tests.factories import make_track, make_user

KINDS: list[tuple[Any, type[msgspec.Struct], str]] = [
    (tracks, TrackRecord, "id"),
    (policies, TrackPolicyRecord, "track_id"),
    (users, UserRecord, "id"),
]


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(create_engine(database_url))
    yield database
    await database.dispose()


async def _catalog(db: Database) -> tuple[list[int], list[int]]:
    owners = [await make_user(db), await make_user(db, country=None, plan="pro")]
    soon = dt.datetime.now(dt.UTC).replace(microsecond=123456) + dt.timedelta(days=3)
    ids = [
        await make_track(db, owners[0], title="plain"),
        await make_track(db, owners[1], sharing="private", release_at=soon),
        await make_track(db, owners[0], territories=["DE", "FR"], taken_down=True),
        await make_track(db, owners[1], downloadable=False, commentable=False),
    ]
    return owners, ids


async def test_prepared_reads_give_what_core_selects_give(db: Database) -> None:
    owners, ids = await _catalog(db)
    keys = {"id": ids, "track_id": ids}
    for table, record, key in KINDS:
        wanted = owners if record is UserRecord else keys[key]
        for chosen in (wanted[:1], wanted[:3], wanted, [*wanted, 10**12]):
            async with db.read() as uow:
                prepared = await records_by_keys(uow.connection, table, record, key, chosen)
                stmt = select_records(table, record).where(table.c[key].in_(chosen))
                core = await fetch_all(uow.connection, stmt, record)
            assert sorted(prepared, key=repr) == sorted(core, key=repr), record.__name__
            assert len(prepared) == len([k for k in chosen if k != 10**12])
    async with db.read() as uow:
        [policy] = await uow.policies.get_many([ids[1]])
        assert policy.release_at is not None and policy.release_at.tzinfo is not None
        assert policy.release_at.microsecond == 123456
        [restricted] = await uow.policies.get_many([ids[2]])
        assert restricted.territories == ["DE", "FR"] and restricted.taken_down_at is not None
        assert (await uow.policies.get_many([ids[3]]))[0].downloadable is False
        counts = await uow.counters.tracks.get_many(ids[:2])
        assert [type(c) for c in counts] == [TrackCounts, TrackCounts]
        assert isinstance((await uow.counters.users.get_many(owners[:1]))[0], UserCounts)


async def test_sqlite_reads_run_on_the_loop_without_a_transaction_or_a_pooled_connection(
    sqlite_url: str,
) -> None:
    db = Database(create_engine(sqlite_url))
    try:
        owner = await make_user(db)
        stranger = await make_user(db)
        track = await make_track(db, owner)
        db.cache.clear()
        began: list[str] = []
        checkouts: list[int] = []
        sync_engine = db.engine.sync_engine
        event.listen(sync_engine, "begin", lambda conn: began.append("BEGIN"))
        event.listen(sync_engine.pool, "checkout", lambda *_: checkouts.append(1))
        with count_statements() as n:
            async with db.read() as uow:
                found = await uow.tracks.get(track)
                await uow.policies.get(track)
                await uow.counters.tracks.get_many([track])
                await uow.users.get(owner)
                await uow.users.get(stranger)
        assert found is not None and found.user_id == owner
        # (counted like any other statement: the track's, which brought its policy, counts
        # and owner along, and the stranger's)
        assert n[0] == 2
        assert began == [] and checkouts == []
    finally:
        await db.dispose()


async def test_a_read_that_checked_a_connection_out_gives_it_back_however_it_ends(
    db: Database,
) -> None:
    """A read unit of work with nothing checked out has nothing to finish; one that checked a
    connection out (a statement through the engine) returns it, on success or on failure."""
    pool = db.engine.sync_engine.pool
    owner = await make_user(db)
    async with db.read() as uow:
        assert await uow.users.get(owner) is not None
    checkins: list[int] = []
    event.listen(pool, "checkin", lambda *_: checkins.append(1))
    kept = pool.checkedout()  # type: ignore[attr-defined]  # (PostgreSQL's kept read connections)
    async with db.read() as uow:
        await (await uow.raw_connection()).exec_driver_sql("SELECT 1")
    with pytest.raises(RuntimeError):
        async with db.read() as uow:
            await (await uow.raw_connection()).exec_driver_sql("SELECT 1")
            raise RuntimeError("the reader failed")
    async with db.read() as uow:
        await uow.users.get(owner)  # (cached: nothing checked out, nothing to give back)
    assert checkins == [1, 1] and pool.checkedout() == kept  # type: ignore[attr-defined]


async def test_loop_reads_never_wait_for_writers_and_see_only_commits(sqlite_url: str) -> None:
    db = Database(create_engine(sqlite_url))
    try:
        owner = await make_user(db)
        track = await make_track(db, owner, title="v0")

        async def title() -> str:
            db.cache.clear()
            async with db.read() as uow:
                found = await uow.tracks.get(track)
            assert found is not None
            return found.title

        async with db.write() as uow:  # (holds SQLite's write lock until it commits)
            await uow.connection.execute(
                update(tracks).where(tracks.c.id == track).values(title="uncommitted")
            )
            started = time.monotonic()
            assert await title() == "v0"
            assert time.monotonic() - started < 0.5
        assert await title() == "uncommitted"

        stop = asyncio.Event()

        async def writer() -> int:
            n = 0
            while not stop.is_set():
                n += 1
                async with db.write() as uow:
                    await uow.connection.execute(
                        update(tracks).where(tracks.c.id == track).values(title=f"v{n}")
                    )
            return n

        async def checkpoints() -> None:
            path = make_url(sqlite_url).database
            while not stop.is_set():
                conn = sqlite3.connect(str(path), timeout=10, check_same_thread=False)
                await asyncio.to_thread(conn.execute, "PRAGMA wal_checkpoint(TRUNCATE)")
                conn.close()
                await asyncio.sleep(0.005)

        tasks = [asyncio.create_task(writer()), asyncio.create_task(checkpoints())]
        seen = [0]
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline:
            got = await title()
            version = int(got[1:]) if got.startswith("v") else 0
            assert version >= seen[-1]  # (never an older commit after a newer one)
            seen.append(version)
            await asyncio.sleep(0)
        stop.set()
        written, _ = await asyncio.gather(*tasks)
        assert written > 5 and len(set(seen)) > 3
    finally:
        await db.dispose()


async def test_a_busy_database_sends_the_read_to_a_connection_thread(sqlite_url: str) -> None:
    db = Database(create_engine(sqlite_url))
    try:
        owner = await make_user(db)
        track = await make_track(db, owner)
        db.cache.clear()
        await db.engine.dispose()  # (an exclusive lock needs every other connection closed)
        locker = sqlite3.connect(str(make_url(sqlite_url).database), check_same_thread=False)
        locker.execute("PRAGMA locking_mode=EXCLUSIVE")
        locker.execute("BEGIN EXCLUSIVE")
        locker.execute("UPDATE tracks SET title = 'locked' WHERE id = ?", (track,))
        locker.commit()  # (exclusive locking mode: the lock stays until the connection closes)
        threading.Timer(0.3, locker.close).start()
        started = time.monotonic()
        async with db.read() as uow:
            found = await uow.tracks.get(track)
        assert found is not None and found.title == "locked"
        assert db.reader is not None and db.reader.fallbacks == 1
        assert time.monotonic() - started >= 0.25  # (it waited on a thread, not on the loop)
        db.cache.clear()
        async with db.read() as uow:  # (the database free again: back on the loop)
            assert await uow.users.get(owner) is not None
        assert db.reader.fallbacks == 1 and db.reader.usable
    finally:
        await db.dispose()


async def test_an_in_memory_database_is_not_read_on_the_loop() -> None:
    db = Database(create_engine("sqlite+aiosqlite:///:memory:"))
    try:
        assert db.reader is not None and db.reader.fetch("SELECT 1", ()) is None
        assert not db.reader.usable  # (another connection would see another database)
        await db.ping()
    finally:
        await db.dispose()


async def test_counter_rows_with_scheduled_releases_still_load_them(db: Database) -> None:
    owner = await make_user(db)
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    await make_track(db, owner, release_at=soon)
    db.cache.clear()
    async with db.read() as uow:
        [counts] = await uow.counters.users.get_many([owner])
    assert counts.releases, counts


async def test_a_viewers_likes_and_reposts_are_read_in_one_statement(db: Database) -> None:
    owner, viewer, stranger = await make_user(db), await make_user(db), await make_user(db)
    ids = [await make_track(db, owner) for _ in range(3)]
    async with db.write() as uow:
        await uow.social.track_likes.add(viewer, ids[0])
        await uow.social.track_likes.add(viewer, ids[1])
        await uow.social.track_reposts.add(viewer, ids[2])
        await uow.social.track_likes.add(stranger, ids[2])
    db.cache.clear()
    for user, likes, reposts in ((viewer, {ids[0], ids[1]}, {ids[2]}), (stranger, {ids[2]}, set())):
        async with db.read() as uow:
            social = uow.social
            with count_statements() as n:
                await social.load_target_sets(user, (social.track_likes, social.track_reposts))
                liked = await social.track_likes.which(user, ids)
                reposted = await social.track_reposts.which(user, ids)
        assert (liked, reposted, n[0]) == (likes, reposts, 1)
    async with db.write() as uow:  # (a change forgets the set: the next read sees it)
        await uow.social.track_reposts.remove(viewer, ids[2])
    async with db.read() as uow:
        social = uow.social
        with count_statements() as n:
            await social.load_target_sets(viewer, (social.track_likes, social.track_reposts))
            assert await social.track_reposts.which(viewer, ids) == set()
            assert await social.track_likes.which(viewer, ids) == {ids[0], ids[1]}
        assert n[0] == 1  # (only the reposts were forgotten: read by `which` alone)


async def test_one_tracks_read_brings_its_owners_counts_with_their_releases(db: Database) -> None:
    owner = await make_user(db)
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    await make_track(db, owner, release_at=soon)
    await make_track(db, owner, release_at=soon + dt.timedelta(days=1))
    track = await make_track(db, owner)
    db.cache.clear()
    async with db.read() as uow:
        with count_statements() as n:
            await uow.tracks.get_many([track])
            [cached] = await uow.counters.users.get_many([owner])
    async with db.write() as uow:  # (a write unit of work reads past the record cache)
        [loaded] = await uow.counters.users.get_many([owner])
    assert n[0] == 1 and len(loaded.releases) == 2

    def ordered(counts: UserCounts) -> UserCounts:
        return msgspec.structs.replace(counts, releases=tuple(sorted(counts.releases, key=repr)))

    assert ordered(cached) == ordered(loaded)


async def test_many_tracks_read_bring_their_owners_counts_with_their_releases(
    db: Database,
) -> None:
    """Each owner's scheduled releases come listed in its tracks' rows (one row per track,
    however many releases): every owner's counts are kept, releases and all, by the one
    statement, equal to what the counters repository loads."""
    scheduling, plain = await make_user(db), await make_user(db)
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    for days in (0, 1, 2):
        await make_track(db, scheduling, release_at=soon + dt.timedelta(days=days))
    ids = [await make_track(db, scheduling), await make_track(db, plain)]
    ids.append(await make_track(db, scheduling))
    db.cache.clear()
    async with db.read() as uow:
        with count_statements() as n:
            found = await uow.tracks.get_many(ids)
            cached = await uow.counters.users.get_many([scheduling, plain])
    async with db.write() as uow:  # (a write unit of work reads past the record cache)
        loaded = await uow.counters.users.get_many([scheduling, plain])
    assert [t.id for t in found] == ids and n[0] == 1

    def ordered(counts: UserCounts) -> UserCounts:
        return msgspec.structs.replace(counts, releases=tuple(sorted(counts.releases, key=repr)))

    assert [ordered(c) for c in cached] == [ordered(c) for c in loaded]
    assert len(cached[0].releases) == 3 and cached[1].releases == ()
    assert all(r.release_at.tzinfo is dt.UTC for r in cached[0].releases)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_postgresql_reads_run_on_asyncpg_and_a_lost_connection_is_dropped(
    database_url: str,
) -> None:
    db = Database(create_engine(database_url))
    other = create_engine(database_url)
    try:
        owner = await make_user(db)
        track = await make_track(db, owner)
        db.cache.clear()
        through_engine: list[str] = []
        event.listen(
            db.engine.sync_engine,
            "before_cursor_execute",
            lambda _c, _cur, sql, *_: through_engine.append(sql),
        )
        with count_statements() as n:
            async with db.read() as uow:
                found = await uow.tracks.get(track)
        assert found is not None and found.user_id == owner
        assert n[0] == 1 and through_engine == []  # (counted, yet not SQLAlchemy's)
        db.cache.clear()
        with pytest.raises(DependencyUnavailable):
            async with db.read() as uow:
                raw = await (await uow.raw_connection()).exec_driver_sql("SELECT pg_backend_pid()")
                pid = raw.scalar_one()
                async with other.connect() as killer:
                    await killer.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})")
                await uow.tracks.get(track)
        async with db.read() as uow:  # (the dead connection left the pool)
            assert (await uow.tracks.get(track)) is not None
    finally:
        await other.dispose()
        await db.dispose()


async def _backend_pids(db: Database) -> set[int]:
    """The server pids of the connections `db` keeps for direct reads (idle ones)."""
    assert db.direct is not None
    return {driver.get_server_pid() for _, driver in db.direct._idle}


async def test_a_failing_prepared_read_is_a_failed_span(db: Database) -> None:
    """Statements run outside the engine (the loop reader, kept connections, asyncpg) are
    traced as the engine's are: a statement that fails ends its span marked as an error."""
    provider = TracerProvider()
    exported = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exported))
    failing = Prepared(select(func.abs(bindparam("key_0", type_=Float()))), 1, db.engine.dialect)
    failing.sql = failing.sql.replace("abs(", "no_such_function(")
    owner = await make_user(db)
    track = await make_track(db, owner)
    db.cache.clear()
    with tracing_with(tracer_of(provider)):
        async with db.read() as uow:
            assert (await uow.tracks.get(track)) is not None
        with pytest.raises(Exception, match="no_such_function"):
            async with db.read() as uow:
                await uow.connection.fetch(failing, [1.0])
    spans = [s for s in exported.get_finished_spans() if (s.attributes or {}).get("db.system")]
    ok = [s for s in spans if "no_such_function" not in str(s.attributes["db.statement"])]  # type: ignore[index]
    failed = [s for s in spans if "no_such_function" in str(s.attributes["db.statement"])]  # type: ignore[index]
    assert ok and all(s.status.status_code is StatusCode.UNSET for s in ok)
    assert failed and all(s.status.status_code is StatusCode.ERROR for s in failed)
    provider.shutdown()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_postgresql_idle_kept_connections_are_not_counted_in_use(database_url: str) -> None:
    """`soundstack_db_connections_in_use` counts the kept read connections only while they run
    a statement: an idle process reports none in use though its kept ones stay checked out."""
    services = build_services(database_url, "gauge-secret-0123456789abcdef0123")
    db = services.deps.db
    try:
        owner = await make_user(db)
        tracks_ = [await make_track(db, owner) for _ in range(4)]

        async def read(track: int) -> None:
            async with db.read() as uow:
                assert (await uow.tracks.get(track)) is not None

        db.cache.clear()
        await asyncio.gather(*(read(t) for t in tracks_))
        assert db.direct is not None and db.direct.kept >= 1
        assert db.engine.sync_engine.pool.checkedout() >= db.direct.kept  # type: ignore[attr-defined]
        assert services.connections_in_use() == 0
        async with db.write() as uow:  # (a unit of work holding a pooled connection counts)
            await uow.tracks.get(tracks_[0])
            assert services.connections_in_use() == 1
    finally:
        await services.close()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_postgresql_reads_run_on_kept_connections_without_a_checkout_each(
    database_url: str,
) -> None:
    db = Database(create_engine(database_url))
    other = create_engine(database_url)
    try:
        owner = await make_user(db)
        tracks_ = [await make_track(db, owner) for _ in range(3)]
        db.cache.clear()
        checkouts: list[int] = []
        event.listen(db.engine.sync_engine.pool, "checkout", lambda *_: checkouts.append(1))
        with count_statements() as n:
            for track in tracks_:  # (one unit of work each, as requests do)
                async with db.read() as uow:
                    assert (await uow.tracks.get(track)) is not None
        assert n[0] == 3 and len(checkouts) == 1  # (the kept connection's, once)
        assert db.direct is not None and db.direct.kept == 1

        async def read(track: int) -> None:
            db.cache.clear()
            async with db.read() as uow:
                assert (await uow.tracks.get(track)) is not None

        await asyncio.gather(*(read(t) for _ in range(5) for t in tracks_))
        assert 1 <= db.direct.kept <= READ_CONNECTIONS

        # a kept connection the server closed while idle is dropped before use: no error
        async with other.connect() as killer:
            for pid in await _backend_pids(db):
                await killer.exec_driver_sql(f"SELECT pg_terminate_backend({pid})")
        await asyncio.sleep(0.2)
        await read(tracks_[0])
        assert db.direct.kept == 1
    finally:
        await other.dispose()
        await db.dispose()
    assert db.direct.kept == 0


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_postgresql_reads_in_flight_up_to_read_connections_all_run_on_kept_ones(
    database_url: str,
) -> None:
    db = Database(create_engine(database_url))
    try:
        owner = await make_user(db)
        tracks_ = [await make_track(db, owner) for _ in range(READ_CONNECTIONS)]
        db.cache.clear()
        checkouts: list[int] = []
        event.listen(db.engine.sync_engine.pool, "checkout", lambda *_: checkouts.append(1))

        async def read(track: int) -> None:
            async with db.read() as uow:  # (each its own unit of work, as requests are)
                assert (await uow.tracks.get(track)) is not None

        with count_statements() as n:  # (all in flight at once: none finds every kept busy)
            await asyncio.gather(*(read(t) for t in tracks_))
        assert db.direct is not None and n[0] == READ_CONNECTIONS
        assert db.direct.kept == len(checkouts) == READ_CONNECTIONS  # (no pooled fallback)
        pool = db.engine.sync_engine.pool
        assert pool.size() == POOL_SIZE + READ_CONNECTIONS  # type: ignore[attr-defined]
        async with db.write() as uow:  # (units of work still find the pool's own connections)
            await uow.tracks.get(tracks_[0])
    finally:
        await db.dispose()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_postgresql_a_process_opens_at_most_max_connections(database_url: str) -> None:
    """Pooled, kept and overflow connections together stay at MAX_CONNECTIONS (the compose
    deployment's processes fit PostgreSQL's default max_connections); one more waits for the
    pool's timeout and is refused (the unit of work answers that as unavailable)."""
    engine = create_engine(database_url)
    held: list[Any] = []
    try:
        for _ in range(MAX_CONNECTIONS):
            held.append(await engine.connect())
        with pytest.raises(PoolTimeout):
            held.append(await engine.connect())
    finally:
        for conn in held:
            await conn.close()
        await engine.dispose()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_postgresql_a_kept_connection_lost_mid_read_is_unavailable_then_replaced(
    database_url: str,
) -> None:
    db = Database(create_engine(database_url))
    other = create_engine(database_url)
    try:
        owner = await make_user(db)
        track = await make_track(db, owner)
        db.cache.clear()
        async with db.read() as uow:
            assert (await uow.tracks.get(track)) is not None
        [pid] = await _backend_pids(db)
        db.cache.clear()

        async def slow_read() -> None:
            async with db.read() as uow:
                await uow.connection.fetch(_sleep_statement(db), [1.0])

        reading = asyncio.create_task(slow_read())
        await asyncio.sleep(0.2)  # (the read is on the server now)
        async with other.connect() as killer:
            await killer.exec_driver_sql(f"SELECT pg_terminate_backend({pid})")
        with pytest.raises(DependencyUnavailable):
            await reading
        assert db.direct is not None and db.direct.kept == 0
        async with db.read() as uow:  # (a new connection replaces it)
            assert (await uow.tracks.get(track)) is not None
        assert db.direct.kept == 1
    finally:
        await other.dispose()
        await db.dispose()


def _sleep_statement(db: Database) -> Prepared:
    stmt = select(func.pg_sleep(bindparam("key_0", type_=Float())))
    return Prepared(stmt, 1, db.engine.dialect)


async def test_whom_a_viewer_follows_and_who_follows_them_are_read_in_one_statement(
    db: Database,
) -> None:
    viewer, a, b, c = [await make_user(db) for _ in range(4)]
    async with db.write() as uow:
        follows = uow.social.follows
        await follows.add(viewer, a)
        await follows.add(viewer, b)
        await follows.add(b, viewer)
        await follows.add(c, viewer)
        await follows.add(a, c)
    db.cache.clear()
    for others in ([a], [a, b, c], [c, b]):
        db.cache.clear()
        async with db.read() as uow:
            with count_statements() as n:
                both = await uow.social.follows.both_ways(viewer, others)
            separately = (
                await uow.social.follows.which(viewer, others),
                await uow.social.follows.sources_among(viewer, others),
            )
        assert both == separately and n[0] == 1, others
    async with db.read() as uow:  # (both kept: read again, no statement)
        with count_statements() as n:
            assert await uow.social.follows.both_ways(viewer, [c, b]) == ({b}, {b, c})
        assert n[0] == 0
    async with db.write() as uow:  # (a change forgets what it touched)
        await uow.social.follows.remove(c, viewer)
    async with db.read() as uow:
        assert await uow.social.follows.both_ways(viewer, [c, b]) == ({b}, {b})


async def test_followers_are_kept_as_one_set_and_a_set_past_the_bound_is_asked_by_edge(
    db: Database,
) -> None:
    viewer, a, b, c = [await make_user(db) for _ in range(4)]
    async with db.write() as uow:
        await uow.social.follows.add(a, viewer)
        await uow.social.follows.add(viewer, b)
    db.cache.clear()
    async with db.read() as uow:
        with count_statements() as n:  # (both of the viewer's sets, one statement)
            assert await uow.social.follows.both_ways(viewer, [a]) == (set(), {a})
        assert n[0] == 1
        with count_statements() as n:  # (anyone else's edge to the viewer: from the set)
            assert await uow.social.follows.sources_among(viewer, [b, c]) == set()
            assert await uow.social.follows.both_ways(viewer, [b, c]) == ({b}, set())
        assert n[0] == 0
    async with db.write() as uow:  # (a follow of the viewer forgets the viewer's followers)
        await uow.social.follows.add(c, viewer)
    async with db.read() as uow:
        assert await uow.social.follows.sources_among(viewer, [a, b, c]) == {a, c}
    # sets past MAX_CACHED_EDGES are kept as TOO_MANY: their edges are then asked one by one
    follows = social_repository.follows.name
    for kind in (f"edges:{follows}", f"edges-in:{follows}"):
        db.cache.put_many(kind, {viewer: social_repository.TOO_MANY}, db.cache.epoch(kind))
    async with db.read() as uow:
        with count_statements() as n:
            assert await uow.social.follows.both_ways(viewer, [a, b, c]) == ({b}, {a, c})
        assert n[0] == 2  # (whom among them the viewer follows; who of them follows the viewer)
