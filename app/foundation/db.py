"""Engine, declarative base with naming conventions, and statement counting."""

from __future__ import annotations

import contextvars
import datetime as dt
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import asyncpg
from sqlalchemy import BigInteger, DateTime, Integer, MetaData, Table, event
from sqlalchemy.engine import Dialect, ExceptionContext
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

from app.faults import DependencyUnavailable
from app.foundation.engine_telemetry import instrument_engine
from app.foundation.sqlite_driver import Connector

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


ID = BigInteger().with_variant(Integer(), "sqlite")
"""Primary/foreign key type: BIGINT on PostgreSQL, INTEGER (rowid alias) on SQLite."""


class Base(DeclarativeBase):
    """Declarative base shared by every foundation service's tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def table_of(model: type[Base]) -> Table:
    """The Core table behind a declarative model (repositories use Core for speed)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        return _utc(value)

    def result_processor(self, dialect: Dialect, coltype: Any) -> Any:
        """On SQLite, one call per value (the text parsed and made UTC-aware at once) instead
        of the dialect's parser wrapped in `process_result_value`: the same values (SQLite's
        DATETIME parser is `fromisoformat` too), a third of the calls on every row read."""
        if dialect.name == "sqlite":
            return _utc
        return super().result_processor(dialect, coltype)


def _utc(value: Any) -> dt.datetime | None:
    """A stored timestamp (SQLite's ISO text, or a datetime) as an aware UTC datetime. SQLite's
    naive UTC text is parsed with its offset appended: aware at once (~0.3 us), where parsing
    then `replace(tzinfo=…)` costs ~4 us on this interpreter (nine timestamps a track read)."""
    if value is None:
        return None
    if type(value) is str:
        try:
            value = dt.datetime.fromisoformat(value + "+00:00")
        except ValueError:  # (text with an offset of its own)
            value = dt.datetime.fromisoformat(value)
    moment: dt.datetime = value
    if moment.tzinfo is dt.UTC:
        return moment
    if moment.tzinfo is None:  # (a bare date's text, a naive datetime)
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def utc_timestamp(value: str | dt.datetime) -> dt.datetime:
    """A timestamp read outside its column's type (e.g. from a JSON text column) as an aware
    UTC datetime, as `UTCDateTime` reads it: SQLite's naive UTC text, or ISO text with an
    offset (PostgreSQL's JSON)."""
    moment = _utc(value)
    if moment is None:
        raise ValueError("no timestamp")
    return moment


def utcnow() -> dt.datetime:
    """The current time, timezone-aware, truncated to microseconds as both databases store it."""
    return dt.datetime.now(dt.UTC)


_statement_counter: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "statement_counter", default=None
)


@contextmanager
def count_statements() -> Iterator[list[int]]:
    """Count SQL statements run in this context: `with count_statements() as n: ...; n[0]`."""
    box = [0]
    token = _statement_counter.set(box)
    try:
        yield box
    finally:
        _statement_counter.reset(token)


def count_statement() -> None:
    """One more statement for `count_statements` (for those run outside the engine)."""
    box = _statement_counter.get()
    if box is not None:
        box[0] += 1


def _on_execute(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
    if not statement.startswith("BEGIN"):
        count_statement()


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in (
        "PRAGMA journal_mode=WAL",
        "PRAGMA synchronous=NORMAL",
        "PRAGMA foreign_keys=ON",
        "PRAGMA busy_timeout=10000",
    ):
        cursor.execute(pragma)
    cursor.close()


def _sqlite_on_begin(conn: Any) -> None:
    mode = "BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN"
    conn.exec_driver_sql(mode)


CONNECT_TIMEOUT = 1.0
"""Seconds to open a PostgreSQL connection (DB_CONNECT_TIMEOUT_SECONDS)."""
POOL_TIMEOUT = 2.0
"""Seconds a request waits for a free connection before it is answered 503 (load shed)."""
POOL_SIZE = 20
"""Pooled connections kept for units of work (and more opened for bursts, up to
MAX_CONNECTIONS)."""
MAX_CONNECTIONS = 40
"""The most database connections one process opens (pooled, kept for reads and burst
overflow together): the compose deployment's two granian workers and its media worker stay
within PostgreSQL's default max_connections (100) with room for the migrations job and psql."""
READ_CONNECTIONS = 16
"""PostgreSQL connections a process keeps checked out in autocommit for its prepared reads
(`direct_reads.DirectReads`), on top of POOL_SIZE. A kept connection is busy from a statement's
send until its task resumes, which on a saturated event loop is long after the answer came: with
16 requests in flight per process (wrk's 32 connections over 2 workers), 6 kept connections
were all busy for 40-45% of statements, each of which then paid the engine's checkout, reset
and rollback (~10% of a miss's CPU, `bench.miss_probe --concurrency 16`)."""
CONFLICT_STATES = frozenset({"40001", "40P01"})
"""SQLSTATEs of a transaction that lost a race (serialization failure, deadlock): the unit of
work runs the command again (Database.transact)."""
_UNAVAILABLE_STATES = frozenset({"57014", "57P01", "57P02", "57P03", "53300"})
"""Statement timeout, administrator shutdown, crash shutdown, cannot connect now, too many
connections: the database cannot serve the request now."""


class MissingReference(Exception):
    """A row refers to one that is gone (a foreign key violation, SQLSTATE 23503): typically
    deleted by a concurrent transaction after this one checked it; callers answer NotFound."""


class Conflict(DependencyUnavailable):
    """The transaction lost a race (deadlock or serialization failure) and was rolled back;
    running it again is safe (Database.transact does). Should it keep losing, the caller is
    told to retry later (503), never a 500."""

    def __init__(self, state: str) -> None:
        super().__init__("database")
        self.state = state


def _sqlstate(exc: BaseException | None) -> str | None:
    while exc is not None:
        state = getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)
        if isinstance(state, str):
            return state
        exc = exc.__cause__ or exc.__context__
    return None


_SQLITE_FOREIGN_KEY = 787
"""SQLITE_CONSTRAINT_FOREIGNKEY, the extended result code of a foreign key violation."""


def _sqlite_code(exc: BaseException | None) -> int | None:
    while exc is not None:
        code = getattr(exc, "sqlite_errorcode", None)
        if isinstance(code, int):
            return code
        exc = exc.__cause__ or exc.__context__
    return None


def _translate(context: ExceptionContext) -> BaseException | None:
    """Driver errors that mean "unavailable" or "lost a race", as the foundation's own errors
    (the original stays chained for the logs)."""
    original = context.original_exception
    state = _sqlstate(original)
    if state in CONFLICT_STATES:
        return Conflict(state)
    if state == "23503" or _sqlite_code(original) == _SQLITE_FOREIGN_KEY:
        return MissingReference(str(state or "foreign key"))
    if isinstance(original, OSError | TimeoutError):
        context.is_disconnect = True  # a connection that stopped answering is dropped, and
        _terminate(context)  # at once: a polite close would wait on the dead peer once more
    if context.is_disconnect or state in _UNAVAILABLE_STATES or context.connection is None:
        return DependencyUnavailable("database")  # (connection None: connecting failed)
    return None


def driver_error(exc: sqlite3.Error, sql: str, parameters: Sequence[Any]) -> BaseException:
    """An error of a statement run on a sqlite3 connection directly (not through the engine),
    as the engine would have raised it: MissingReference for a foreign key violation, else
    SQLAlchemy's wrapper of the driver's error (IntegrityError, OperationalError …)."""
    if _sqlite_code(exc) == _SQLITE_FOREIGN_KEY:
        return MissingReference("foreign key")
    return DBAPIError.instance(sql, list(parameters), exc, sqlite3.Error)


def asyncpg_error(exc: Exception) -> tuple[BaseException, bool]:
    """An error of a statement run on an asyncpg connection directly (not through the engine),
    as the engine would have raised it, and whether the connection is lost (the caller drops
    it): Conflict for a lost race, MissingReference for a foreign key violation,
    DependencyUnavailable when the database cannot serve (a timeout, a connection gone, a
    statement cancelled, a shutdown); else the driver's error itself."""
    state = _sqlstate(exc)
    if state in CONFLICT_STATES:
        return Conflict(state), False
    if state == "23503":
        return MissingReference(state), False
    lost = isinstance(exc, OSError | TimeoutError) or (state or "").startswith("08")
    if isinstance(exc, asyncpg.InterfaceError) and "closed" in str(exc):
        lost = True  # ("cannot perform operation: connection is closed")
    if isinstance(exc, asyncpg.InternalClientError):
        lost = True  # (the protocol's state is unknown, e.g. the server ended the session
        # while a statement was being sent: "cannot switch to state 12 ...")
    if lost or state in _UNAVAILABLE_STATES:
        return DependencyUnavailable("database"), lost
    return exc, False


def _terminate(context: ExceptionContext) -> None:
    conn = context.connection
    if conn is None or conn.invalidated or conn.closed:
        return
    driver = conn.connection.driver_connection
    terminate = getattr(driver, "terminate", None)  # (asyncpg's; SQLite has no peer to lose)
    if terminate is not None:
        terminate()


def create_engine(
    url: str,
    *,
    echo: bool = False,
    connect_timeout: float = CONNECT_TIMEOUT,
    statement_timeout: float | None = None,
) -> AsyncEngine:
    """Create the async engine for `url`, with SQLite tuned for a concurrent web process; on
    PostgreSQL with the connect and (when given) statement timeouts: the server cancels a
    longer statement and the client stops waiting as long after sending it, so a black-holed
    database costs a request that much, not forever (bulk loads and migrations run on engines
    without one). An unreachable database raises DependencyUnavailable, a lost race Conflict."""
    kwargs: dict[str, Any] = {"echo": echo}
    is_sqlite = url.startswith("sqlite")
    if is_sqlite and (":memory:" in url or url.rstrip("/").endswith(":")):
        kwargs["poolclass"] = StaticPool
    else:
        # SQLite in WAL mode reads concurrently; a request holds at most one connection
        size = POOL_SIZE if is_sqlite else POOL_SIZE + READ_CONNECTIONS  # (kept: see DirectReads)
        overflow = MAX_CONNECTIONS - size
        kwargs.update(
            pool_size=size, max_overflow=overflow, pool_timeout=POOL_TIMEOUT, pool_pre_ping=False
        )
    connector = Connector()  # (SQLite: each statement in one trip to aiosqlite's thread)
    if is_sqlite:
        kwargs["async_creator"] = connector
    else:
        # (no JIT: a statement estimated costly, such as a text search the planner cannot
        # size, spent 60-130 ms compiling to run in under 1 ms; see docs/scaling.md)
        server_settings = {"jit": "off"}
        connect_args: dict[str, Any] = {
            "timeout": connect_timeout,
            "server_settings": server_settings,
        }
        if statement_timeout is not None:
            connect_args["command_timeout"] = statement_timeout
            server_settings["statement_timeout"] = str(int(statement_timeout * 1000))
        kwargs["connect_args"] = connect_args
    engine = create_async_engine(url, **kwargs)
    if is_sqlite:
        connector.args = engine.dialect.create_connect_args(engine.url)
    sync_engine = engine.sync_engine
    event.listen(sync_engine, "before_cursor_execute", _on_execute)
    event.listen(sync_engine, "handle_error", _translate)
    instrument_engine(engine)
    if is_sqlite:
        event.listen(sync_engine, "connect", _sqlite_on_connect)
        event.listen(sync_engine, "begin", _sqlite_on_begin)
    return engine
