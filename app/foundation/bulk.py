"""Bulk loads (seeding): a Database tuned for one load, and indexes built once at its end.

- bulk_load: a Database whose SQLite connections use BULK_PRAGMAS;
- deferred_indexes: within one transaction, secondary indexes and the tracks full-text insert
  trigger are dropped on first insert (see bulk_insert.insert_tuples) and re-created (one
  catch-up) before the commit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.pool import StaticPool

from app.foundation.bulk_insert import DeferredIndexes
from app.foundation.db import create_engine
from app.foundation.unit_of_work import Database, UnitOfWork

__all__ = ["BULK_PRAGMAS", "bulk_load", "deferred_indexes"]

BULK_PRAGMAS = (
    "PRAGMA synchronous=OFF",
    "PRAGMA cache_size=-524288",
    "PRAGMA temp_store=MEMORY",
)
"""Per connection, on the bulk-load session's own connections only (they die with it)."""


@asynccontextmanager
async def bulk_load(db: Database) -> AsyncIterator[Database]:
    """A Database for one bulk load: on SQLite, its own connections with BULK_PRAGMAS (closed,
    so forgotten, at the end); elsewhere `db` itself."""
    engine = db.engine
    if engine.dialect.name != "sqlite" or isinstance(engine.sync_engine.pool, StaticPool):
        yield db  # (an in-memory SQLite database lives on its one shared connection)
        return
    bulk = create_engine(engine.url.render_as_string(hide_password=False))
    event.listen(bulk.sync_engine, "connect", _bulk_pragmas)
    try:
        yield type(db)(bulk)
    finally:
        await bulk.dispose()


def _bulk_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in BULK_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


@asynccontextmanager
async def deferred_indexes(uow: UnitOfWork, expected_rows: int) -> AsyncIterator[None]:
    """Index once, at the end of a bulk load of about `expected_rows` rows in `uow`'s
    transaction, instead of row by row (SQLite; elsewhere a no-op).

    The first insert_tuples into a table drops its secondary indexes (when the load is at least
    half the table's size) and, for tracks, the full-text insert trigger; leaving the block
    re-creates them and indexes the new tracks in one statement. All of it is DDL inside the
    transaction: on an error (or a crash) it rolls back with the rows, the schema intact.
    """
    if uow.connection.dialect.name != "sqlite":
        yield
        return
    conn = await uow.raw_connection()
    state = DeferredIndexes(expected_rows)
    conn.info[DeferredIndexes.KEY] = state
    try:
        yield
    finally:
        conn.info.pop(DeferredIndexes.KEY, None)
    await state.restore(conn)
