"""A connection that is only checked out (and its transaction begun) when a statement runs, so a
request served entirely from caches never touches the database."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from functools import cache
from typing import Any

from asyncpg.exceptions import IntegrityConstraintViolationError
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.caching.provenance import note_outside_read
from app.faults import DependencyUnavailable
from app.foundation.db import asyncpg_error, count_statement, driver_error
from app.foundation.direct_reads import DirectReads
from app.foundation.engine_telemetry import (
    count_outside_engine,
    end_statement_span,
    statement_span,
)
from app.foundation.prepared import Prepared
from app.foundation.prepared_writes import PreparedWrite, Written
from app.foundation.sqlite_driver import (
    LoopReader,
    Outcome,
    ThreadConnection,
    inline_statements,
    run_statement,
)
from app.foundation.write_gate import WriteGate
from app.telemetry.metrics import metrics


class LazyConnection:
    """The subset of AsyncConnection repositories use, connecting on first use.

    A write connection with a `gate` (SQLite) passes it before checking out a connection and
    beginning, and leaves it after commit or rollback. With `inline` (SQLite, for transactions
    of small statements only) its statements run on the event loop's thread once the write
    lock is held; BEGIN and COMMIT, which may wait or checkpoint, still run on the driver's.
    Prepared statements (`fetch`, `write`) of such a transaction skip SQLAlchemy's execution
    altogether: their compiled SQL runs on the sqlite3 connection itself. A read connection
    with a `reader` (SQLite) runs prepared reads (`fetch`) on it: on the event loop's thread,
    each its own autocommit read, with no connection checked out. A read connection on
    PostgreSQL runs in autocommit (no BEGIN, no COMMIT); with `direct` (the process's kept
    autocommit connections) its prepared reads run there, with no connection checked out,
    until something else needs a connection of its own. A write connection on asyncpg runs
    prepared reads and prepared writes that return rows (RETURNING, or a statement of
    data-modifying CTEs) on the asyncpg connection directly too (asyncpg prepares each once
    per connection; no SQLAlchemy execution), once a statement through the engine has begun
    its transaction (SQLAlchemy's asyncpg adapter sends BEGIN with the first one).
    """

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        write: bool,
        gate: WriteGate | None = None,
        inline: bool = False,
        reader: LoopReader | None = None,
        direct: DirectReads | None = None,
    ) -> None:
        self.engine = engine
        self._reader = None if write else reader
        self._direct_reads = None if write else direct
        self._write = write
        self._gate = gate if write else None
        self._gated = False
        self._inline = inline and write
        asyncpg = engine.dialect.driver == "asyncpg"
        self._asyncpg = not write and asyncpg
        """Prepared reads run on the asyncpg connection directly (see _fetch_asyncpg)."""
        self._asyncpg_writes = write and asyncpg
        self._begun = False
        """A statement ran through the engine in this transaction (so it has begun)."""
        self._driver: ThreadConnection | None = None
        self.conn: AsyncConnection | None = None
        self.changes = 0
        """Statements run that may have changed something: all but SELECTs, and any that
        failed (a group commit isolates a failed command without a rollback when unchanged)."""

    @property
    def dialect(self) -> Dialect:
        return self.engine.dialect

    async def connect(self) -> AsyncConnection:
        note_outside_read()  # whatever is read now is not vouched for by the record cache
        if self.conn is None:
            if self._gate is not None and not self._gated:
                await self._gate.acquire()
                self._gated = True
            try:
                self.conn = await self._begin()
            except BaseException:
                self._leave_gate()
                raise
        return self.conn

    async def _begin(self) -> AsyncConnection:
        started = time.perf_counter()
        try:
            conn = await self.engine.connect()
        except (PoolTimeout, OSError, TimeoutError) as exc:
            # (every connection busy for pool_timeout: shed the load; or, connecting, a refusal
            # or timeout the driver raised as it was, bypassing the engine's translation)
            raise DependencyUnavailable("database") from exc
        finally:
            _pool_wait(self.engine.dialect.name).observe(time.perf_counter() - started)
        try:
            if self._write:
                conn = await conn.execution_options(write=True)
            elif self.engine.dialect.name == "postgresql":
                # A read needs no transaction of its own: under READ COMMITTED each statement
                # sees its own snapshot inside one too, so BEGIN and COMMIT would only cost
                # two round trips (the unit of work still checks the connection in at its end).
                conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.begin()
            if self._inline:
                self._driver = await inline_statements(conn)
        except BaseException:
            self._stop_inline()
            await conn.close()
            raise
        return conn

    def _stop_inline(self) -> None:
        driver, self._driver = self._driver, None
        if driver is not None:
            driver.inline = False

    def _leave_gate(self) -> None:
        if self._gated and self._gate is not None:
            self._gated = False
            self._gate.release()

    async def execute(self, statement: Any, parameters: Any = None) -> Any:
        """AsyncConnection.execute on the (lazily opened) connection: a CursorResult."""
        select = getattr(statement, "is_select", False) is True
        if not select:
            self.changes += 1
        try:
            conn = await self.connect()
            self._begun = True
            return await conn.execute(statement, parameters)
        except BaseException:
            if select:
                self.changes += 1
            raise

    async def fetch(
        self, statement: Prepared, keys: Sequence[Any], given: Mapping[str, Any] | None = None
    ) -> list[tuple[Any, ...]]:
        """The rows of a prepared read for these key values (and named values `given`): on the
        loop reader when there is one (and the database is not busy), else through the engine
        on the (lazily opened) connection, in its transaction."""
        reader = self._reader
        if reader is not None:
            span = statement_span("sqlite", statement.sql)
            failure: BaseException | None = None
            try:
                raw = reader.fetch(statement.sql, statement.parameters(keys, given))
            except BaseException as exc:
                failure = exc
                raise
            finally:
                if span is not None:
                    end_statement_span(span, failure)
            if raw is not None:
                note_outside_read()
                count_statement()
                count_outside_engine("sqlite")
                return statement.rows(raw)
        direct = self._direct_reads
        if direct is not None and self.conn is None and statement.sql:
            rows = await self._fetch_direct(direct, statement, keys, given)
            if rows is not None:
                return rows
        try:
            conn = await self.connect()
            if (self._asyncpg or (self._asyncpg_writes and self._begun)) and statement.sql:
                return await self._fetch_asyncpg(conn, statement, keys, given)
            if self._driver is not None and statement.sql:
                parameters = statement.parameters(keys, given)
                _, _, _, raw = self._direct(self._driver, statement.sql, parameters)
                return statement.rows(raw)
            self._begun = True
            result = await conn.execute(statement.statement, statement.named(keys, given))
            return [tuple(row) for row in result]
        except BaseException:
            self.changes += 1
            raise

    async def _fetch_direct(
        self,
        direct: DirectReads,
        statement: Prepared,
        keys: Sequence[Any],
        given: Mapping[str, Any] | None,
    ) -> list[tuple[Any, ...]] | None:
        """A prepared read on one of the process's kept autocommit connections (DirectReads):
        counted, traced, timed out and its errors raised as the engine's statements are; None
        when they are all busy."""
        note_outside_read()
        parameters = statement.parameters(keys, given)
        span = statement_span("postgresql", statement.sql)
        failure: BaseException | None = None
        try:
            raw = await direct.fetch(statement.sql, parameters)
        except BaseException as exc:
            failure = exc
            self.changes += 1
            count_statement()
            count_outside_engine("postgresql")
            raise
        finally:
            if span is not None:
                end_statement_span(span, failure)
        if raw is None:
            return None
        count_statement()
        count_outside_engine("postgresql")
        return statement.rows(raw)

    async def _fetch_asyncpg(
        self,
        conn: AsyncConnection,
        statement: Prepared,
        keys: Sequence[Any],
        given: Mapping[str, Any] | None,
    ) -> list[tuple[Any, ...]]:
        """A prepared read run on the asyncpg connection itself (a read unit of work on
        PostgreSQL runs in autocommit: no transaction of SQLAlchemy's to stay inside), asyncpg
        preparing it once per connection: counted, traced, timed out and its errors raised as
        the engine's statements are."""
        raw = await self._run_asyncpg(conn, statement.sql, statement.parameters(keys, given))
        return statement.rows(raw)

    async def _run_asyncpg(
        self, conn: AsyncConnection, sql: str, parameters: Sequence[Any]
    ) -> list[Any]:
        """The raw rows of one statement run on the asyncpg connection itself (in whatever
        transaction it is in), asyncpg preparing it once per connection: counted, traced,
        timed out and its errors raised as the engine's statements are."""
        raw_connection = await conn.get_raw_connection()
        driver = raw_connection.driver_connection
        assert driver is not None
        span = statement_span("postgresql", sql)
        failure: BaseException | None = None
        try:
            count_statement()
            count_outside_engine("postgresql")
            rows: list[Any] = await driver.fetch(sql, *parameters)
        except Exception as exc:
            failure = exc
            error, lost = asyncpg_error(exc)
            if lost:
                driver.terminate()  # (a polite close would wait on the dead peer once more)
                await conn.invalidate()
            if isinstance(exc, IntegrityConstraintViolationError) and error is exc:
                # (as the engine raises it: a NOT NULL, unique or check violation)
                raise IntegrityError(sql, list(parameters), exc) from exc
            if error is exc:
                raise
            raise error from exc
        finally:
            if span is not None:
                end_statement_span(span, failure)
        return rows

    async def write(self, statement: PreparedWrite, values: Mapping[str, Any]) -> Written:
        """Run a prepared INSERT, UPDATE or DELETE (or a statement of data-modifying CTEs) with
        these named values: on the sqlite3 connection directly while this transaction runs its
        statements inline; on the asyncpg connection directly when it returns rows and the
        transaction has begun; else through the engine (on the lazily opened connection, in
        its transaction)."""
        self.changes += 1
        conn = await self.connect()
        if self._driver is not None and statement.sql:
            parameters = statement.parameters(values)
            _, rowcount, _, raw = self._direct(self._driver, statement.sql, parameters)
            return Written(rowcount, statement.rows(raw))
        if self._asyncpg_writes and self._begun and statement.returns and statement.sql:
            rows = await self._run_asyncpg(conn, statement.sql, statement.parameters(values))
            return Written(len(rows), statement.rows(rows))
        self._begun = True
        result = await conn.execute(statement.statement, dict(values))
        rows = [tuple(row) for row in result] if result.returns_rows else []
        return Written(result.rowcount, rows)

    @staticmethod
    def _direct(
        driver: ThreadConnection, sql: str, parameters: Sequence[Any], *, many: bool = False
    ) -> Outcome:
        """Run one statement on the driver's sqlite3 connection, on this thread (inline),
        counted and traced as the engine's statements are; its errors as the engine's."""
        span = statement_span("sqlite", sql)
        failure: BaseException | None = None
        try:
            outcome = run_statement(driver.sqlite, sql, parameters, many)
        except sqlite3.Error as exc:
            failure = exc
            raise driver_error(exc, sql, parameters) from exc
        finally:
            if span is not None:
                end_statement_span(span, failure)
        count_statement()
        count_outside_engine("sqlite")
        return outcome

    @asynccontextmanager
    async def begin_nested(self) -> AsyncIterator[None]:
        self.changes += 1
        conn = await self.connect()
        self._begun = True
        async with conn.begin_nested():
            yield

    async def finish(self, commit: bool) -> None:
        """Commit or roll back, leave the gate (the next writer may begin) and check in."""
        conn, self.conn = self.conn, None
        self._begun = False
        if conn is None:
            self._leave_gate()
            return
        self._stop_inline()
        try:
            await (conn.commit() if commit else conn.rollback())
        finally:
            self._leave_gate()
            await conn.close()


@cache
def _pool_wait(database: str) -> Any:
    """`soundstack_db_pool_wait_duration_seconds` of one database (bound once)."""
    return metrics().db_pool_wait_seconds.labels(database)
