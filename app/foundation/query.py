"""Shared query helpers: rows to frozen records, request-ordered batches and keyset pages."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Generic, TypeVar

import msgspec
from sqlalchemy import Select, Table, and_, or_, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.sql.elements import ColumnElement

from app.foundation.db import UTCDateTime
from app.foundation.lazy import LazyConnection
from app.foundation.prepared import bucket, by_keys

R = TypeVar("R", bound=msgspec.Struct)
K = TypeVar("K")

KeyPart = int | float | str
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)
Key = tuple[KeyPart, ...]


class Page(msgspec.Struct, Generic[R], frozen=True):
    """One keyset page: the records and the key after which the next page starts (None: last)."""

    items: list[R]
    next_key: Key | None


@functools.cache
def insert_or_ignore(table: Table, dialect: str) -> Any:
    """INSERT … ON CONFLICT DO NOTHING, its values given as parameters (built once per table)."""
    insert_for = sqlite_insert if dialect == "sqlite" else postgresql_insert
    return insert_for(table).on_conflict_do_nothing()


def columns_of(table: Table, record: type[msgspec.Struct]) -> list[Any]:
    """The table's columns in the record's field order, so rows map positionally."""
    return [table.c[name] for name in record.__struct_fields__]


def select_records(table: Table, record: type[msgspec.Struct]) -> Select[Any]:
    return select(*columns_of(table, record))


@functools.cache
def _record_columns(table: Table, record: type[msgspec.Struct]) -> tuple[Any, ...]:
    return tuple(columns_of(table, record))


async def fetch_by_keys(
    conn: LazyConnection,
    columns: tuple[Any, ...],
    key: Any,
    keys: Sequence[Any],
    where: Any = None,
    given: Mapping[str, Any] | None = None,
    source: Any = None,
) -> list[tuple[Any, ...]]:
    """Rows of `columns` [from the join `source`] whose `key` is one of `keys` [and `where`,
    with its named parameters `given`], by a statement built and compiled once per shape (the
    key list padded to a few lengths; see foundation.prepared)."""
    if not keys:
        return []
    size = bucket(len(keys))
    padded = list(keys) + [keys[-1]] * (size - len(keys))  # (duplicates match nothing more)
    prepared = by_keys(columns, key, size, where, conn.dialect, source)
    return await conn.fetch(prepared, padded, given)


async def records_by_keys(
    conn: LazyConnection,
    table: Table,
    record: type[R],
    key: str,
    keys: Sequence[Any],
    where: Any = None,
) -> list[R]:
    """The records of `table` whose column `key` is one of `keys` (fetch_by_keys)."""
    rows = await fetch_by_keys(conn, _record_columns(table, record), table.c[key], keys, where)
    return [record(*row) for row in rows]


async def fetch_all(conn: LazyConnection, stmt: Any, record: type[R]) -> list[R]:
    result = await conn.execute(stmt)
    return [record(*row) for row in result]


async def fetch_one(conn: LazyConnection, stmt: Any, record: type[R]) -> R | None:
    row = (await conn.execute(stmt)).first()
    return None if row is None else record(*row)


def in_request_order(records: Iterable[R], ids: Sequence[K], key: str = "id") -> list[R]:
    """Records ordered as `ids` asked for them; missing ids are dropped, duplicates kept once."""
    by_id = {getattr(r, key): r for r in records}
    seen: set[Any] = set()
    ordered: list[R] = []
    for i in ids:
        if i in by_id and i not in seen:
            seen.add(i)
            ordered.append(by_id[i])
    return ordered


def unique(ids: Iterable[K]) -> list[K]:
    return list(dict.fromkeys(ids))


def _encode(value: Any) -> KeyPart:
    if isinstance(value, dt.datetime):
        return (value - _EPOCH) // _MICROSECOND
    if isinstance(value, int | float | str):
        return value
    raise TypeError(f"cannot use {type(value).__name__} in a keyset key")


def _decode(column: Any, value: KeyPart) -> Any:
    if isinstance(column.type, UTCDateTime):
        if not isinstance(value, int):
            raise ValueError("malformed keyset key")
        return _EPOCH + value * _MICROSECOND
    return value


def keyset_after(
    order: Sequence[Any], after: Key | None, *, descending: bool = True
) -> ColumnElement[bool] | None:
    """The WHERE clause for rows strictly after `after` in `order` (None: first page)."""
    if after is None:
        return None
    if len(after) != len(order):
        raise ValueError("malformed keyset key")
    values = [_decode(c, v) for c, v in zip(order, after, strict=True)]
    clauses = []
    for i, column in enumerate(order):
        equal = [order[j] == values[j] for j in range(i)]
        clauses.append(and_(*equal, column < values[i] if descending else column > values[i]))
    return or_(*clauses)


async def fetch_page(
    conn: LazyConnection,
    stmt: Select[Any],
    record: type[R],
    order: Sequence[Any],
    after: Key | None,
    limit: int,
    key_attrs: Sequence[str] | None = None,
    *,
    descending: bool = True,
) -> Page[R]:
    """Run `stmt` as a keyset page over `order` (descending unless told otherwise).

    The next key is read from the last record's attributes named `key_attrs` (default: the
    order columns' names).
    """
    where = keyset_after(order, after, descending=descending)
    if where is not None:
        stmt = stmt.where(where)
    stmt = stmt.order_by(*[c.desc() if descending else c.asc() for c in order]).limit(limit + 1)
    items = await fetch_all(conn, stmt, record)
    return page_of(items, limit, key_attrs or [c.key for c in order])


def page_of(items: list[R], limit: int, key_attrs: Sequence[str]) -> Page[R]:
    """The page of `items` (up to `limit` + 1, in keyset order): the first `limit`, and the key
    after which the next page starts (read from the attributes `key_attrs`) when there is one."""
    if len(items) <= limit:
        return Page(items=items, next_key=None)
    items = items[:limit]
    last = items[-1]
    key = tuple(_encode(getattr(last, name)) for name in key_attrs)
    return Page(items=items, next_key=key)
