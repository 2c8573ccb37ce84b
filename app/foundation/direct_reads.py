"""PostgreSQL connections a process keeps in autocommit for prepared reads on asyncpg."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from typing import Any

from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.faults import DependencyUnavailable
from app.foundation.db import READ_CONNECTIONS, asyncpg_error


class DirectReads:
    """A few of the engine's connections, checked out once and kept in autocommit, on which read
    units of work run their prepared reads (each statement its own snapshot, as a read unit of
    work's statements already are): no pool checkout, isolation-level switch and reset per unit
    of work. A connection is taken for one statement only and given back at once, so a request
    never holds one while it waits for another (no deadlock with the pool). A connection found
    closed is dropped before use; one lost during a statement is terminated and invalidated
    (the engine's pool replaces it). The engine's connect and statement timeouts apply: the
    connections are the engine's own."""

    def __init__(self, engine: AsyncEngine, size: int = READ_CONNECTIONS) -> None:
        self._engine = engine
        self._size = size
        self._idle: list[tuple[AsyncConnection, Any]] = []
        self._open = 0
        """Connections kept: idle, running a statement, or being opened."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False

    @property
    def kept(self) -> int:
        """Connections kept now (idle or running a statement)."""
        return self._open

    @property
    def idle(self) -> int:
        """Kept connections waiting for a statement (checked out of the pool, yet not in use)."""
        return len(self._idle)

    async def fetch(self, sql: str, parameters: Sequence[Any]) -> list[Any] | None:
        """The raw rows of `sql` on a kept connection (asyncpg prepares it once per connection),
        or None when every kept connection is busy (the caller reads through the engine).
        Errors are raised as the engine's (`asyncpg_error`)."""
        held = await self._take()
        if held is None:
            return None
        conn, driver = held
        try:
            raw: list[Any] = await driver.fetch(sql, *parameters)
        except Exception as exc:
            error, lost = asyncpg_error(exc)
            if lost:
                await self._drop(conn, driver)
            else:
                await self._give_back(conn, driver)
            if error is exc:
                raise
            raise error from exc
        except BaseException:  # (cancelled mid-statement: the protocol's state is unknown)
            await self._drop(conn, driver)
            raise
        await self._give_back(conn, driver)
        return raw

    async def _take(self) -> tuple[AsyncConnection, Any] | None:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # (a new event loop: the old one's connections are unusable)
            self._idle, self._open, self._loop = [], 0, loop
        while self._idle:
            conn, driver = self._idle.pop()
            if not driver.is_closed():
                return conn, driver
            await self._drop(conn, driver)
        if self._closed or self._open >= self._size:
            return None
        self._open += 1
        try:
            return await self._connect()
        except BaseException:
            self._open -= 1
            raise

    async def _connect(self) -> tuple[AsyncConnection, Any]:
        try:
            conn = await self._engine.connect()
        except (PoolTimeout, OSError, TimeoutError) as exc:  # (as LazyConnection._begin)
            raise DependencyUnavailable("database") from exc
        try:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            driver = (await conn.get_raw_connection()).driver_connection
        except BaseException:
            await conn.close()
            raise
        return conn, driver

    async def _give_back(self, conn: AsyncConnection, driver: Any) -> None:
        if not self._closed:
            self._idle.append((conn, driver))
            return
        self._open -= 1
        with contextlib.suppress(Exception):
            await conn.close()

    async def _drop(self, conn: AsyncConnection, driver: Any) -> None:
        """Forget a connection that is lost (or in an unknown state): terminated at once (a
        polite close would wait on the dead peer), invalidated in the engine's pool."""
        self._open -= 1
        driver.terminate()
        with contextlib.suppress(Exception):
            await conn.invalidate()

    async def close(self) -> None:
        """Give every idle connection back to the engine (one running a statement is given
        back when it finishes); no connection is kept afterwards."""
        self._closed = True
        idle, self._idle = self._idle, []
        for conn, _ in idle:
            self._open -= 1
            with contextlib.suppress(Exception):
                await conn.close()
