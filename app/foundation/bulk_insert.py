"""Bulk inserts of plain tuples straight through the DB driver (seeding and test data).

insert_tuples runs one executemany of tuples (COPY on PostgreSQL), skipping SQLAlchemy's per-row
parameter processing, so values must already be what the column stores, except for three
conveniences converted here (in SQL on SQLite): UTCDateTime columns take int epoch seconds
(UTC), Date columns take int epoch seconds (their UTC day), JSON columns take Python values.
Inside `bulk.deferred_indexes` (SQLite), the first insert into a table drops its secondary
indexes (DeferredIndexes) so they are built once at the end. The repositories use this module;
it imports none of them (nor the unit of work), so foundation has no import cycle.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import JSON, Date, Table, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from app.foundation import fts
from app.foundation.db import UTCDateTime
from app.foundation.lazy import LazyConnection

__all__ = ["DeferredIndexes", "insert_tuples"]

Row = tuple[Any, ...]
Convert = Callable[[Row], Row]
_SQLITE_TIMESTAMP = "strftime('%Y-%m-%d %H:%M:%S.000000', ?, 'unixepoch')"
"""SQLAlchemy's SQLite DATETIME storage format, so seeded and written rows compare alike."""
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


async def insert_tuples(
    lazy: LazyConnection, table: Table, columns: Sequence[str], rows: Sequence[Row]
) -> None:
    """INSERT `rows` (tuples in `columns` order) with one executemany (COPY on PostgreSQL)."""
    if not rows:
        return
    conn = await lazy.connect()
    names = tuple(columns)
    if len(rows[0]) != len(names):
        raise ValueError(f"{table.name}: rows have {len(rows[0])} values for {len(names)} columns")
    dialect = conn.dialect.name
    if dialect == "sqlite":
        deferred = conn.info.get(DeferredIndexes.KEY)
        if isinstance(deferred, DeferredIndexes) and table.name not in deferred.tables:
            await deferred.drop(conn, table.name)
        sql, convert = _sqlite_plan(table, names)
        await conn.exec_driver_sql(sql, [convert(r) for r in rows] if convert else list(rows))
        return
    convert = _python_plan(table, names)
    records = [convert(r) for r in rows] if convert else list(rows)
    if dialect == "postgresql":
        raw = await conn.get_raw_connection()
        driver: Any = raw.driver_connection
        if not driver.is_in_transaction():
            await conn.exec_driver_sql("SELECT 1")  # joins the unit of work's transaction
        await driver.copy_records_to_table(table.name, records=records, columns=list(names))
        if "id" in names:
            # explicit ids bypass the sequence: move it past them, or the next INSERT collides
            await conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608
                f"(SELECT max(id) FROM {table.name}))"
            )
        return
    await conn.execute(insert(table), [dict(zip(names, r, strict=True)) for r in records])


@functools.cache
def _sqlite_plan(table: Table, names: tuple[str, ...]) -> tuple[str, Convert | None]:
    marks = []
    for name in names:
        kind = table.c[name].type
        if isinstance(kind, UTCDateTime):
            marks.append(_SQLITE_TIMESTAMP)
        elif isinstance(kind, Date):
            marks.append("date(?, 'unixepoch')")
        else:
            marks.append("?")
    columns = ", ".join(names)  # names from the table metadata, never from input
    sql = f"INSERT INTO {table.name} ({columns}) VALUES ({', '.join(marks)})"  # noqa: S608
    json_columns: dict[int, Callable[[Any], Any]] = {
        i: _json for i, n in enumerate(names) if isinstance(table.c[n].type, JSON)
    }
    return sql, _converter(json_columns)


@functools.cache
def _python_plan(table: Table, names: tuple[str, ...]) -> Convert | None:
    fns: dict[int, Callable[[Any], Any]] = {}
    for i, name in enumerate(names):
        kind = table.c[name].type
        if isinstance(kind, UTCDateTime):
            fns[i] = _timestamp
        elif isinstance(kind, Date):
            fns[i] = _date
        elif isinstance(kind, JSON):
            fns[i] = _json
    return _converter(fns)


def _converter(fns: dict[int, Callable[[Any], Any]]) -> Convert | None:
    if not fns:
        return None
    items = tuple(fns.items())

    def convert(row: Row) -> Row:
        out = list(row)
        for i, fn in items:
            if out[i] is not None:
                out[i] = fn(out[i])
        return tuple(out)

    return convert


def _timestamp(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def _date(seconds: int) -> dt.date:
    return dt.date.fromordinal(_EPOCH_ORDINAL + seconds // 86_400)


def _json(value: Any) -> str:
    return json.dumps(value)


class DeferredIndexes:
    """What one transaction's bulk inserts dropped (SQLite), to re-create before it commits."""

    KEY = "soundstack.bulk.deferred"
    """Where the state lives in the connection's `info` while a deferred load runs."""

    def __init__(self, expected_rows: int) -> None:
        self.expected_rows = expected_rows
        self.tables: set[str] = set()
        self.indexes: list[str] = []
        self.fts_after: int | None = None

    async def drop(self, conn: AsyncConnection, table: str) -> None:
        """Drop `table`'s secondary indexes (and, for tracks, the full-text insert trigger)."""
        self.tables.add(table)
        if table == "tracks":
            found = await conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                (fts.SQLITE_FTS_INSERT_TRIGGER_NAME,),
            )
            if found.first() is not None:
                last = (await conn.exec_driver_sql("SELECT max(id) FROM tracks")).scalar()
                await conn.exec_driver_sql(f"DROP TRIGGER {fts.SQLITE_FTS_INSERT_TRIGGER_NAME}")
                self.fts_after = int(last or 0)
        size = (await conn.exec_driver_sql(f"SELECT max(rowid) FROM {table}")).scalar()  # noqa: S608
        if self.expected_rows < int(size or 0) // 2:
            return  # a small append to a big table: maintaining the indexes is cheaper
        indexes = await conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL",
            (table,),
        )
        dropped: Sequence[Any] = indexes.all()
        for name, sql in dropped:
            await conn.exec_driver_sql(f'DROP INDEX "{name}"')
            self.indexes.append(str(sql))

    async def restore(self, conn: AsyncConnection) -> None:
        """Re-create what was dropped and index the new tracks for search in one statement."""
        for sql in self.indexes:
            await conn.exec_driver_sql(sql)
        if self.fts_after is not None:
            await conn.exec_driver_sql(fts.sqlite_fts_index_since(self.fts_after))
            await conn.exec_driver_sql(fts.SQLITE_FTS_INSERT_TRIGGER)
