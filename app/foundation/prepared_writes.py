"""Write statements built and compiled once per shape and dialect, run with named values."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from sqlalchemy.engine import Dialect

from app.foundation.prepared import processed, result_processor

Processor = Callable[[Any], Any] | None
_REQUIRED: Any = object()


class Written(NamedTuple):
    """What a write statement reports: rows it changed, and the rows of its RETURNING."""

    rowcount: int
    rows: list[tuple[Any, ...]]


class PreparedWrite:
    """One INSERT, UPDATE or DELETE built once, every varying value a named bind parameter.

    Through the engine it runs as the Core statement (whose compiled form SQLAlchemy caches);
    on SQLite and PostgreSQL it also carries its SQL text, how named values become its
    positional parameters (bind processing and Python-side scalar column defaults included)
    and how the raw rows of its RETURNING become what SQLAlchemy's result processing gives —
    so a transaction that runs its statements on the event loop's thread (a group commit on
    SQLite) or on the asyncpg connection (a write transaction on PostgreSQL, for a statement
    that `returns` rows) runs it on the driver connection directly. Expanding parameters (`IN`
    lists) and callable defaults are refused on SQLite; on PostgreSQL such a statement runs
    through the engine only. A SELECT (of data-modifying CTEs) may be prepared as a write.
    """

    __slots__ = ("_binds", "_results", "returns", "sql", "statement")

    def __init__(self, statement: Any, dialect: Dialect) -> None:
        self.statement = statement
        self.sql = ""
        self._binds: tuple[tuple[str, Any, Processor], ...] = ()
        self._results: tuple[tuple[int, Callable[[Any], Any]], ...] = ()
        self.returns = len(statement.exported_columns) > 0
        """Does it return rows (RETURNING, a SELECT)?"""
        if dialect.name == "sqlite":
            self._compile(statement, dialect)
        elif dialect.name == "postgresql":
            try:
                self._compile(statement, dialect)
            except ValueError:  # (through the engine, as before)
                self.sql, self._binds, self._results = "", (), ()

    def _compile(self, statement: Any, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        if dialect.name == "postgresql" and (
            compiled.literal_execute_params or compiled.post_compile_params
        ):  # (rendered per execution: no one text to run)
            raise ValueError("a prepared write cannot render values into its text")
        if compiled.update_prefetch:
            raise ValueError("a prepared write cannot compute Python-side update defaults")
        defaults: dict[str, Any] = {}
        for column in compiled.insert_prefetch:
            default = column.default
            if default is None or not default.is_scalar:
                raise ValueError(f"column {column.key}: only scalar defaults can be prepared")
            defaults[column.key] = default.arg
        binds: list[tuple[str, Any, Processor]] = []
        for name in compiled.positiontup or ():
            bind = compiled.binds[name]
            if bind.expanding:
                raise ValueError(f"parameter {name}: an expanding parameter cannot be prepared")
            value = defaults.get(name, _REQUIRED if bind.required else bind.effective_value)
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            binds.append((name, value, processor))
        self.sql = compiled.string
        self._binds = tuple(binds)
        processors = [result_processor(c.type, dialect) for c in statement.exported_columns]
        self._results = tuple((i, p) for i, p in enumerate(processors) if p is not None)

    def parameters(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        """The positional parameters for these named values (others: their constants)."""
        out = []
        for name, constant, processor in self._binds:
            value = values[name] if constant is _REQUIRED or name in values else constant
            out.append(value if processor is None else processor(value))
        return tuple(out)

    def rows(self, raw: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
        """The driver's RETURNING rows with each column's result processing applied."""
        return processed(raw, self._results)
