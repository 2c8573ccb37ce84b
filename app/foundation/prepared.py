"""Read statements built and compiled once per shape and dialect, run with positional values."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Float, bindparam, select
from sqlalchemy.engine import Dialect

Processor = Callable[[Any], Any] | None

MAX_BUCKET = 1024
"""Key lists up to this long are padded to the next power of two (few statement shapes, each
prepared once by the driver); longer ones get a statement of their own length."""


DIRECT = frozenset({"sqlite", "postgresql"})
"""Dialects whose drivers run a prepared read's compiled SQL directly (SQLite's loop reader,
asyncpg in a PostgreSQL read unit of work), without SQLAlchemy's execution."""


class Prepared:
    """One SELECT built once: the Core statement (run through the engine: its compiled form is
    cached, and asyncpg prepares it once per connection), and for the drivers run directly
    (DIRECT) its SQL text, how key values become its positional parameters, and how its raw
    rows become the values SQLAlchemy's result processing would give."""

    __slots__ = ("_binds", "_plain", "_results", "keys", "sql", "statement")

    def __init__(self, statement: Any, keys: int, dialect: Dialect) -> None:
        self.statement = statement
        self.keys = keys
        self.sql = ""
        self._binds: tuple[tuple[int | None, str, Any, Processor], ...] = ()
        self._plain = False
        """The parameters are the keys as given (no constants, no bind processing)."""
        self._results: tuple[tuple[int, Callable[[Any], Any]], ...] = ()
        if dialect.name in DIRECT:
            self._compile(statement, keys, dialect)

    def _compile(self, statement: Any, keys: int, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        constants = compiled.construct_params({f"key_{i}": None for i in range(keys)})
        binds: list[tuple[int | None, str, Any, Processor]] = []
        for name in compiled.positiontup or ():
            processor = compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
            suffix = name.removeprefix("key_")
            index = int(suffix) if suffix != name and suffix.isdigit() else None
            binds.append((index, name, constants.get(name), processor))
        if sorted(i for i, _, _, _ in binds if i is not None) != list(range(keys)):
            raise ValueError("a prepared read binds each key exactly once")
        self._binds = tuple(binds)
        self._plain = [(i, p) for i, _, _, p in binds] == [(i, None) for i in range(keys)]
        processors = [
            result_processor(column.type, dialect) for column in statement.selected_columns
        ]
        self._results = tuple((i, p) for i, p in enumerate(processors) if p is not None)

    def named(self, keys: Sequence[Any], given: Mapping[str, Any] | None) -> dict[str, Any]:
        """The parameters by name, for running `statement` through the engine."""
        named = {f"key_{i}": key for i, key in enumerate(keys)}
        if given:
            named.update(given)
        return named

    def parameters(
        self, keys: Sequence[Any], given: Mapping[str, Any] | None = None
    ) -> tuple[Any, ...]:
        """The positional parameters for these key values (and the named parameters of the
        statement's other conditions, `given`; else their values at build time)."""
        if self._plain:
            return tuple(keys)
        values = []
        for index, name, constant, processor in self._binds:
            if index is not None:
                value = keys[index]
            else:
                value = given[name] if given is not None and name in given else constant
            values.append(value if processor is None else processor(value))
        return tuple(values)

    def rows(self, raw: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
        """The driver's rows with each column's result processing applied."""
        return processed(raw, self._results)


def result_processor(type_: Any, dialect: Dialect) -> Processor:
    """The column type's result processor for rows the driver returned itself. SQLite's cursors
    describe no column types (coltype None is exact); asyncpg decodes each value by its type,
    and its dialect's processors ask for the type only to tell floats (decoded as floats, left
    as they are) from exact numerics."""
    if dialect.name == "postgresql" and isinstance(type_, Float) and not type_.asdecimal:
        return None
    processor: Processor = type_.dialect_impl(dialect).result_processor(dialect, None)
    return processor


def processed(
    raw: Sequence[Sequence[Any]], results: tuple[tuple[int, Callable[[Any], Any]], ...]
) -> list[tuple[Any, ...]]:
    """Raw driver rows with the (column index, result processor) pairs applied."""
    if not results:
        return [tuple(row) for row in raw]
    out = []
    for row in raw:
        values = list(row)
        for i, processor in results:
            values[i] = processor(values[i])
        out.append(tuple(values))
    return out


def bucket(n: int) -> int:
    """The statement length for `n` keys (see MAX_BUCKET)."""
    if n <= 1:
        return 1
    return n if n > MAX_BUCKET else 1 << (n - 1).bit_length()


@functools.lru_cache(maxsize=1024)
def by_keys(
    columns: tuple[Any, ...],
    key: Any,
    size: int,
    where: Any,
    dialect: Dialect,
    source: Any = None,
) -> Prepared:
    """SELECT `columns` [FROM `source`, a join] WHERE `key` IN (`size` keys) [AND `where`],
    compiled for `dialect`. (`where` and `source` must be built once, e.g. at import, varying
    values named bind parameters given with each call: the cache knows them by identity.)"""
    binds = [bindparam(f"key_{i}", type_=key.type) for i in range(size)]
    stmt = select(*columns)
    if source is not None:
        stmt = stmt.select_from(source)
    stmt = stmt.where(key == binds[0] if size == 1 else key.in_(binds))
    if where is not None:
        stmt = stmt.where(where)
    return Prepared(stmt, size, dialect)
