"""Our SQLite thread driver: one thread per connection, jobs in order, cancellation, errors, close,
and SQLAlchemy's async dialect driving it (pool, isolation level, invalidation)."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import exc, text

from app.foundation.db import create_engine
from app.foundation.sqlite_driver import CLOSED, Connector, ThreadConnection


async def _open(path: Path) -> ThreadConnection:
    connector = Connector()
    connector.args = ([str(path)], {"check_same_thread": False, "isolation_level": None})
    return await connector()


async def _execute(conn: ThreadConnection, sql: str, *params: object) -> list[tuple[object, ...]]:
    cursor = conn.cursor()
    await cursor.execute(sql, params)
    return await cursor.fetchall()


async def test_each_connection_runs_its_statements_on_its_own_thread(tmp_path: Path) -> None:
    conns = [await _open(tmp_path / "db.sqlite") for _ in range(3)]
    try:
        seen: list[int] = []
        for conn in conns:
            await conn.create_function("tid", 0, lambda: seen.append(threading.get_ident()) or 0)
        await asyncio.gather(*(_execute(c, "SELECT tid()") for c in conns))
        assert len(set(seen)) == 3
        assert threading.get_ident() not in seen
    finally:
        for conn in conns:
            await conn.close()


async def test_concurrent_jobs_on_one_connection_run_in_order(tmp_path: Path) -> None:
    conn = await _open(tmp_path / "db.sqlite")
    try:
        await _execute(conn, "CREATE TABLE t (n INTEGER)")
        await asyncio.gather(*(_execute(conn, "INSERT INTO t VALUES (?)", n) for n in range(200)))
        rows = await _execute(conn, "SELECT n FROM t ORDER BY rowid")
        assert [n for (n,) in rows] == list(range(200))
    finally:
        await conn.close()


async def test_concurrent_connections_through_the_engine(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}")
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)"))

        async def work(k: int) -> str:
            async with engine.connect() as conn:
                await conn.execute(text("INSERT INTO t VALUES (:k, :v)"), {"k": k, "v": f"v{k}"})
                await conn.commit()
                result = await conn.execute(text("SELECT v FROM t WHERE k = :k"), {"k": k})
                value = result.scalar()
                assert isinstance(value, str)
                return value

        assert await asyncio.gather(*(work(k) for k in range(40))) == [f"v{k}" for k in range(40)]
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar() == 40
    finally:
        await engine.dispose()


async def test_a_cancelled_statement_finishes_before_the_next_and_the_connection_stays_usable(
    tmp_path: Path,
) -> None:
    conn = await _open(tmp_path / "db.sqlite")
    started, release = threading.Event(), threading.Event()

    def block() -> int:
        started.set()
        release.wait(10)
        return 1

    try:
        await _execute(conn, "CREATE TABLE t (n INTEGER)")
        await conn.create_function("block", 0, block)
        task = asyncio.create_task(_execute(conn, "INSERT INTO t SELECT block()"))
        assert await asyncio.to_thread(started.wait, 10)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        following = asyncio.create_task(_execute(conn, "SELECT count(*) FROM t"))
        release.set()
        # queued behind the cancelled statement, so it sees that statement's row
        assert await following == [(1,)]
        assert await _execute(conn, "SELECT 2") == [(2,)]
    finally:
        release.set()
        await conn.close()


async def test_errors_propagate_with_their_sqlite3_class(tmp_path: Path) -> None:
    conn = await _open(tmp_path / "db.sqlite")

    def fails() -> int:
        raise RuntimeError("boom")

    try:
        await _execute(conn, "CREATE TABLE t (n INTEGER PRIMARY KEY)")
        await _execute(conn, "INSERT INTO t VALUES (1)")
        with pytest.raises(sqlite3.IntegrityError):
            await _execute(conn, "INSERT INTO t VALUES (1)")
        with pytest.raises(sqlite3.OperationalError, match="no such table"):
            await _execute(conn, "SELECT * FROM missing")
        await conn.create_function("fails", 0, fails)
        with pytest.raises(sqlite3.OperationalError, match="user-defined function raised"):
            await _execute(conn, "SELECT fails()")
        with pytest.raises(ZeroDivisionError):
            await conn.run(lambda: 1 // 0)
        assert await _execute(conn, "SELECT count(*) FROM t") == [(1,)]
    finally:
        await conn.close()


async def test_errors_reach_sqlalchemy_as_its_dbapi_errors(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}")
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (n INTEGER PRIMARY KEY)"))
            await conn.execute(text("INSERT INTO t VALUES (1)"))
        async with engine.connect() as conn:
            with pytest.raises(exc.IntegrityError) as caught:
                await conn.execute(text("INSERT INTO t VALUES (1)"))
            assert isinstance(caught.value.orig, sqlite3.IntegrityError)
            await conn.rollback()
            assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar() == 1
    finally:
        await engine.dispose()


async def test_close_closes_the_database_and_ends_the_thread(tmp_path: Path) -> None:
    conn = await _open(tmp_path / "db.sqlite")
    sqlite = conn.sqlite
    thread = conn._thread
    await conn.close()
    await asyncio.to_thread(thread.join, 10)
    assert not thread.is_alive()
    with pytest.raises(sqlite3.ProgrammingError):
        sqlite.execute("SELECT 1")
    with pytest.raises(ValueError, match=CLOSED):
        await _execute(conn, "SELECT 1")
    await conn.close()  # a second close is a no-op


def test_stop_needs_no_event_loop(tmp_path: Path) -> None:
    conn = asyncio.run(_open(tmp_path / "db.sqlite"))
    thread = conn._thread
    conn.stop()  # SQLAlchemy's terminate, also from garbage collection outside any loop
    thread.join(10)
    assert not thread.is_alive()
    assert conn._connection is None


async def test_sqlalchemy_sets_the_isolation_level_and_invalidates_through_the_contract(
    tmp_path: Path,
) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}")
    try:
        async with engine.connect() as conn:
            raw = await conn.get_raw_connection()
            driver = raw.driver_connection
            assert isinstance(driver, ThreadConnection)
            assert driver.isolation_level is None  # set by our on-connect hook via `_tx`
            thread = driver._thread
            await conn.invalidate()  # SQLAlchemy's terminate
        await asyncio.to_thread(thread.join, 10)
        assert not thread.is_alive()
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT 1"))).scalar() == 1
    finally:
        await engine.dispose()


async def test_inline_statements_run_on_the_calling_thread(tmp_path: Path) -> None:
    conn = await _open(tmp_path / "db.sqlite")
    seen: list[int] = []
    try:
        await conn.create_function("tid", 0, lambda: seen.append(threading.get_ident()) or 0)
        conn.inline = True
        await _execute(conn, "SELECT tid()")
        conn.inline = False
        await _execute(conn, "SELECT tid()")
        assert seen[0] == threading.get_ident() != seen[1]
    finally:
        await conn.close()
