"""Schema migration state: which alembic revision the database is at versus the scripts' head.

Also the one definition of the schema objects that migrations own but the table metadata does
not describe (full-text search), so autogenerate and the schema tests ignore them alike.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection

import app

__all__ = ["FTS_INDEXES", "FTS_TABLE", "include_object", "migration_status", "script_location"]

FTS_TABLE = "tracks_fts"
"""SQLite FTS5 table over tracks (its shadow tables are named tracks_fts_*)."""
FTS_INDEXES = frozenset({"ix_tracks_search"})
"""PostgreSQL full-text GIN indexes, created by migrations only."""
FTS_COLUMNS = frozenset({"search_document"})
"""PostgreSQL full-text documents: stored generated columns of tracks (migration 0013), which
queries name directly; the table metadata does not describe them."""


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic `include_object` hook: hide the full-text search objects from autogenerate."""
    if name is None:
        return True
    if type_ == "table":
        return name != FTS_TABLE and not name.startswith(f"{FTS_TABLE}_")
    if type_ == "index":
        return name not in FTS_INDEXES
    if type_ == "column":
        return name not in FTS_COLUMNS
    return True


def script_location() -> Path:
    """The migrations directory at the repository root (next to the `app` package)."""
    return Path(app.__file__).resolve().parent.parent / "migrations"


@functools.cache
def _head_revision() -> str | None:
    heads = ScriptDirectory(str(script_location())).get_heads()
    return ",".join(sorted(heads)) if heads else None


def _current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


async def migration_status(conn: AsyncConnection) -> tuple[str | None, str | None]:
    """Return (revision the database is at or None, head revision of the migration scripts).

    Only reads the version table and the script files; never runs a migration.
    """
    current = await conn.run_sync(_current_revision)
    return current, _head_revision()
