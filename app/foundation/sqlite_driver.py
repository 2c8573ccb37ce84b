"""aiosqlite connections whose statements take one trip to the connection's thread, not four."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any

import aiosqlite
from sqlalchemy.ext.asyncio import AsyncConnection

Outcome = tuple[Any, int, int | None, list[Any]]
"""(description, rowcount, lastrowid, rows) of one executed statement."""


def _run(conn: sqlite3.Connection, sql: str, parameters: Any, many: bool = False) -> Outcome:
    """On the connection's thread: execute, fetch every row, close the cursor."""
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


class OneTripCursor:
    """The aiosqlite cursor surface SQLAlchemy's adapter uses; `execute` runs the statement,
    fetches its rows and closes the sqlite3 cursor in ONE call on the connection's thread
    (aiosqlite takes one each for cursor(), execute(), fetchall() and close())."""

    arraysize = 1

    def __init__(self, connection: OneTripConnection) -> None:
        self._connection = connection
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self._rows: list[Any] = []

    async def __aenter__(self) -> OneTripCursor:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    def _took(self, outcome: Outcome) -> OneTripCursor:
        self.description, self.rowcount, self.lastrowid, self._rows = outcome
        return self

    async def execute(self, sql: str, parameters: Any = None) -> OneTripCursor:
        conn = self._connection
        return self._took(await conn.run_on_thread(_run, conn.sqlite, sql, parameters))

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> OneTripCursor:
        conn = self._connection
        rows = list(parameters)
        return self._took(await conn.run_on_thread(_run, conn.sqlite, sql, rows, True))

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


class OneTripConnection(aiosqlite.Connection):
    """An aiosqlite connection handing out one-trip cursors.

    While `inline` is set, statements run right on the calling (event loop's) thread: cheaper
    than any trip for the small statements of a transaction that already holds the write lock
    (they never wait for another connection), so a group commit sets it between its BEGIN
    IMMEDIATE and its COMMIT. Only connections opened with check_same_thread=False can.
    """

    can_inline = False
    inline = False

    def cursor(self) -> OneTripCursor:  # type: ignore[override]  # (not an awaitable)
        return OneTripCursor(self)

    @property
    def sqlite(self) -> sqlite3.Connection:
        conn: sqlite3.Connection = self._conn
        return conn

    async def run_on_thread(self, fn: Callable[..., Outcome], *args: Any) -> Outcome:
        if self.inline:
            return fn(*args)
        outcome: Outcome = await self._execute(fn, *args)  # type: ignore[no-untyped-call]
        return outcome


class Connector:
    """An `async_creator` for create_async_engine: one-trip aiosqlite connections, opened with
    the arguments the engine's dialect computes (set `args` once the engine exists)."""

    def __init__(self) -> None:
        self.args: tuple[Sequence[Any], Mapping[str, Any]] = ((), {})

    async def __call__(self) -> OneTripConnection:
        args, kwargs = self.args
        conn = OneTripConnection(lambda: sqlite3.connect(*args, **kwargs), 64)
        conn._thread.daemon = True  # as SQLAlchemy's own aiosqlite adapter does
        conn.can_inline = kwargs.get("check_same_thread", True) is False
        await conn  # starts its thread and opens the sqlite3 connection there
        return conn


async def inline_statements(conn: AsyncConnection) -> OneTripConnection | None:
    """Run `conn`'s statements inline from now on; the driver connection (whose `inline` the
    caller must clear before COMMIT or ROLLBACK), or None when it cannot."""
    driver = (await conn.get_raw_connection()).driver_connection
    if isinstance(driver, OneTripConnection) and driver.can_inline:
        driver.inline = True
        return driver
    return None
