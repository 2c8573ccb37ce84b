"""A connection that is only checked out (and its transaction begun) when a statement runs, so a
request served entirely from caches never touches the database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.foundation.cache import note_outside_read


class LazyConnection:
    """The subset of AsyncConnection repositories use, connecting on first use."""

    def __init__(self, engine: AsyncEngine, *, write: bool) -> None:
        self.engine = engine
        self._write = write
        self.conn: AsyncConnection | None = None

    @property
    def dialect(self) -> Dialect:
        return self.engine.dialect

    async def connect(self) -> AsyncConnection:
        note_outside_read()  # whatever is read now is not vouched for by the record cache
        if self.conn is None:
            conn = await self.engine.connect()
            if self._write:
                conn = await conn.execution_options(write=True)
            await conn.begin()
            self.conn = conn
        return self.conn

    async def execute(self, statement: Any, parameters: Any = None) -> Any:
        """AsyncConnection.execute on the (lazily opened) connection: a CursorResult."""
        conn = await self.connect()
        return await conn.execute(statement, parameters)

    @asynccontextmanager
    async def begin_nested(self) -> AsyncIterator[None]:
        conn = await self.connect()
        async with conn.begin_nested():
            yield

    async def finish(self, commit: bool) -> None:
        conn, self.conn = self.conn, None
        if conn is None:
            return
        try:
            await (conn.commit() if commit else conn.rollback())
        finally:
            await conn.close()
