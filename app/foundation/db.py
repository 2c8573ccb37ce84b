"""Engine, declarative base with naming conventions, and statement counting."""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import BigInteger, DateTime, Integer, MetaData, Table, event
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

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
        if value is None:
            return None
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        moment: dt.datetime = value
        if moment.tzinfo is None:
            return moment.replace(tzinfo=dt.UTC)
        return moment.astimezone(dt.UTC)


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


def _on_execute(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
    box = _statement_counter.get()
    if box is not None and not statement.startswith("BEGIN"):
        box[0] += 1


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


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    """Create the async engine for `url`, with SQLite tuned for a concurrent web process."""
    kwargs: dict[str, Any] = {"echo": echo}
    is_sqlite = url.startswith("sqlite")
    if is_sqlite and (":memory:" in url or url.rstrip("/").endswith(":")):
        kwargs["poolclass"] = StaticPool
    else:
        # SQLite in WAL mode reads concurrently; a request holds at most one connection
        kwargs.update(pool_size=20, max_overflow=20, pool_timeout=10, pool_pre_ping=False)
    connector = Connector()  # (SQLite: each statement in one trip to aiosqlite's thread)
    if is_sqlite:
        kwargs["async_creator"] = connector
    engine = create_async_engine(url, **kwargs)
    if is_sqlite:
        connector.args = engine.dialect.create_connect_args(engine.url)
    sync_engine = engine.sync_engine
    event.listen(sync_engine, "before_cursor_execute", _on_execute)
    instrument_engine(engine)
    if is_sqlite:
        event.listen(sync_engine, "connect", _sqlite_on_connect)
        event.listen(sync_engine, "begin", _sqlite_on_begin)
    return engine
