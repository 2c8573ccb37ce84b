"""Our SQLite driver for SQLAlchemy's async dialect: a thread per connection, a job queue, futures.

SQLAlchemy's `sqlite+aiosqlite` dialect wraps whatever connection `async_creator` returns in its
adapter (`sqlalchemy.dialects.sqlite.aiosqlite.AsyncAdapt_aiosqlite_connection`). That adapter
is the contract this module implements, and nothing of aiosqlite's code runs: awaitable
`commit`/`rollback`/`close`/`create_function`, `cursor()` returning a cursor with awaitable
`execute`/`executemany`/`fetch*`/`close` and `__aenter__`, `isolation_level`, `stop()` (terminate),
and the three attributes the adapter reads by name — `_connection` (truthy while open), `_conn`
(the sqlite3 connection) and `_tx` (a queue of `(future, function)` jobs run on the thread).

Each statement takes ONE trip to the thread: execute, fetch every row, close the sqlite3 cursor.
Reads outside write transactions may skip the trip altogether (LoopReader).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import queue
import sqlite3
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

Outcome = tuple[Any, int, int | None, list[Any]]
"""(description, rowcount, lastrowid, rows) of one executed statement."""

Job = tuple["asyncio.Future[Any] | None", Callable[[], Any]] | None
"""A function to run on the connection's thread and the future for its outcome (None: nobody
waits for it); None instead of a job stops the thread."""

CLOSED = "Connection closed"
"""The message SQLAlchemy's adapter recognises as a disconnect (`is_disconnect`)."""

_names = itertools.count(1)


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    """On the event loop: hand a job's outcome to its future, unless the caller stopped waiting."""
    if future.done():  # cancelled: the job ran to completion, its outcome is dropped
        return
    if error is None:
        future.set_result(result)
    else:
        future.set_exception(error)


def _serve(jobs: queue.SimpleQueue[Job]) -> None:
    """The connection's thread: run each job in order until the stop marker (None)."""
    while (job := jobs.get()) is not None:
        future, function = job
        try:
            result, error = function(), None
        except BaseException as exc:  # handed to the awaiting coroutine, raised there
            result, error = None, exc
        if future is not None:
            with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits any more
                future.get_loop().call_soon_threadsafe(_settle, future, result, error)
        del job, future, function, result, error


def run_statement(
    conn: sqlite3.Connection, sql: str, parameters: Any, many: bool = False
) -> Outcome:
    """Execute, fetch every row, close the cursor (on the connection's thread, or inline)."""
    cursor = conn.cursor()
    try:
        if many:
            cursor.executemany(sql, parameters)
        else:
            cursor.execute(sql, parameters if parameters is not None else ())
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, cursor.rowcount, cursor.lastrowid, rows
    finally:
        cursor.close()


class Cursor:
    """The cursor surface SQLAlchemy's adapter uses; `execute` runs the statement, fetches its
    rows and closes the sqlite3 cursor in one job on the connection's thread."""

    arraysize = 1

    def __init__(self, connection: ThreadConnection) -> None:
        self._connection = connection
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self._rows: list[Any] = []

    async def __aenter__(self) -> Cursor:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    def _took(self, outcome: Outcome) -> Cursor:
        self.description, self.rowcount, self.lastrowid, self._rows = outcome
        return self

    async def execute(self, sql: str, parameters: Any = None) -> Cursor:
        conn = self._connection
        return self._took(await conn.run(run_statement, conn.sqlite, sql, parameters))

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> Cursor:
        conn = self._connection
        rows = list(parameters)
        return self._took(await conn.run(run_statement, conn.sqlite, sql, rows, True))

    async def fetchall(self) -> list[Any]:
        rows, self._rows = self._rows, []
        return rows

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        n = self.arraysize if size is None else size
        rows, self._rows = self._rows[:n], self._rows[n:]
        return rows

    async def fetchone(self) -> Any:
        return self._rows.pop(0) if self._rows else None

    async def close(self) -> None:
        self._rows = []


class ThreadConnection:
    """One sqlite3 connection living on its own thread; every call is a job on its queue.

    Jobs run one at a time in the order they were queued, so a statement whose caller was
    cancelled still finishes before the next one (the connection stays consistent; its result is
    dropped). While `inline` is set, statements run right on the calling (event loop's) thread:
    cheaper than any trip for the small statements of a transaction that already holds the write
    lock (they never wait for another connection), so a group commit sets it between its BEGIN
    IMMEDIATE and its COMMIT. Only connections opened with check_same_thread=False can.
    """

    def __init__(self, connect: Callable[[], sqlite3.Connection], *, can_inline: bool) -> None:
        self._connect = connect
        self.can_inline = can_inline
        self.inline = False
        self._sqlite: sqlite3.Connection | None = None
        self._closed = False
        self._tx: queue.SimpleQueue[Job] = queue.SimpleQueue()
        self._thread = threading.Thread(
            target=_serve, args=(self._tx,), name=f"sqlite-{next(_names)}", daemon=True
        )

    async def open(self) -> ThreadConnection:
        """Start the thread and open the sqlite3 connection on it."""
        self._thread.start()
        try:
            self._sqlite = await self._call(self._connect)
        except BaseException:
            self._closed = True
            self._tx.put(None)
            raise
        return self

    @property
    def sqlite(self) -> sqlite3.Connection:
        """The sqlite3 connection (use it on the connection's thread only, through `run`)."""
        if self._sqlite is None:
            raise ValueError(CLOSED)
        return self._sqlite

    # the adapter's names for the same things (see the module docstring)
    @property
    def _conn(self) -> sqlite3.Connection:
        return self.sqlite

    @property
    def _connection(self) -> sqlite3.Connection | None:
        return None if self._closed else self._sqlite

    def _call(self, function: Callable[[], Any]) -> asyncio.Future[Any]:
        if self._closed:
            raise ValueError(CLOSED)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._tx.put((future, function))
        return future

    async def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        """`fn(*args)` on the connection's thread (inline when set); its result or its error."""
        if self.inline:
            return fn(*args)
        return await self._call(lambda: fn(*args))

    def cursor(self) -> Cursor:
        return Cursor(self)

    async def commit(self) -> None:
        await self.run(sqlite3.Connection.commit, self.sqlite)

    async def rollback(self) -> None:
        await self.run(sqlite3.Connection.rollback, self.sqlite)

    async def create_function(self, name: str, narg: int, func: Any, **kw: Any) -> None:
        await self.run(lambda: self.sqlite.create_function(name, narg, func, **kw))

    @property
    def isolation_level(self) -> str | None:
        return self.sqlite.isolation_level

    @property
    def in_transaction(self) -> bool:
        return self.sqlite.in_transaction

    async def close(self) -> None:
        """Close the sqlite3 connection on its thread and stop the thread (once; then a no-op)."""
        if self._closed:
            return
        conn = self._sqlite
        try:
            if conn is not None:
                await self._call(conn.close)
        finally:
            self._closed = True
            self._sqlite = None
            self._tx.put(None)

    def stop(self) -> None:
        """Terminate without waiting: close on the thread after any queued job, then end it."""
        if self._closed:
            return
        self._closed = True
        conn, self._sqlite = self._sqlite, None
        if conn is not None:
            self._tx.put((None, conn.close))
        self._tx.put(None)


class Connector:
    """An `async_creator` for create_async_engine: thread connections, opened with the arguments
    the engine's dialect computes (set `args` once the engine exists)."""

    def __init__(self) -> None:
        self.args: tuple[Sequence[Any], Mapping[str, Any]] = ((), {})

    async def __call__(self) -> ThreadConnection:
        args, kwargs = self.args
        can_inline = kwargs.get("check_same_thread", True) is False
        conn = ThreadConnection(lambda: sqlite3.connect(*args, **kwargs), can_inline=can_inline)
        return await conn.open()


async def inline_statements(conn: AsyncConnection) -> ThreadConnection | None:
    """Run `conn`'s statements inline from now on; the driver connection (whose `inline` the
    caller must clear before COMMIT or ROLLBACK), or None when it cannot."""
    driver = (await conn.get_raw_connection()).driver_connection
    if isinstance(driver, ThreadConnection) and driver.can_inline:
        driver.inline = True
        return driver
    return None


BUSY_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})


class LoopReader:
    """A sqlite3 connection that runs read statements on the event loop's thread itself.

    A WAL read of pages the OS has cached takes microseconds; the trip to a connection's thread
    and back (and a BEGIN and COMMIT around it) costs several times more. Each statement is its
    own read transaction (autocommit), so it sees everything committed before it began and never
    waits for a writer. It never waits at all: its busy timeout is zero, and a statement that
    finds the database busy (a WAL recovery, a checkpoint resetting the log) returns None, so the
    caller runs it the ordinary way, on a connection's thread. Not WAL (an in-memory database):
    unusable, every call returns None. `query_only` keeps it from ever writing.
    """

    def __init__(self, connect: Callable[[], sqlite3.Connection]) -> None:
        self._connect = connect
        self._sqlite: sqlite3.Connection | None = None
        self.usable = True
        self.fallbacks = 0
        """Statements handed back because the database was busy (or opening it was)."""

    def _open(self) -> sqlite3.Connection | None:
        conn = self._connect()
        try:
            conn.isolation_level = None
            conn.execute("PRAGMA busy_timeout=0")
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()
            conn.execute("PRAGMA query_only=ON")
        except sqlite3.OperationalError:
            conn.close()
            self.fallbacks += 1
            return None  # (busy switching to WAL: try again with the next statement)
        if mode is None or str(mode[0]).lower() != "wal":
            conn.close()
            self.usable = False
            return None
        self._sqlite = conn
        return conn

    def fetch(self, sql: str, parameters: Sequence[Any]) -> list[Any] | None:
        """Every row of the SELECT `sql`, or None when it must run the ordinary way."""
        conn = self._sqlite
        if conn is None:
            if not self.usable:
                return None
            conn = self._open()
            if conn is None:
                return None
        try:
            cursor = conn.execute(sql, parameters)
            try:
                return cursor.fetchall()
            finally:
                cursor.close()
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorcode", 0) & 0xFF in BUSY_CODES:
                self.fallbacks += 1
                return None
            raise

    def close(self) -> None:
        conn, self._sqlite = self._sqlite, None
        self.usable = False
        if conn is not None:
            conn.close()


def loop_reader(engine: AsyncEngine) -> LoopReader | None:
    """A LoopReader on `engine`'s SQLite database file (None for another backend)."""
    if engine.dialect.name != "sqlite":
        return None
    args, kwargs = engine.dialect.create_connect_args(engine.url)
    options: dict[str, Any] = {**kwargs, "check_same_thread": False, "cached_statements": 256}
    positional: list[Any] = list(args)
    return LoopReader(lambda: sqlite3.connect(*positional, **options))
