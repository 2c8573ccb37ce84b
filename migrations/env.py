"""Alembic environment: runs the migrations on SQLite or PostgreSQL through the async engine.

The database URL is, in order of precedence: `config.attributes["url"]` (programmatic use, e.g.
the test-suite), `alembic -x url=...`, then DATABASE_URL via app.settings.load_settings().
A caller may also pass an open *sync* connection in `config.attributes["connection"]` (e.g. from
`AsyncConnection.run_sync`); the migrations then run in the caller's transaction, which the
caller commits.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from alembic import context
from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url

from app.foundation.db import UTCDateTime, create_engine
from app.foundation.migrations_state import include_object
from app.foundation.tables import metadata
from app.settings import load_settings

config = context.config
target_metadata = metadata


def _database_url() -> str:
    url = config.attributes.get("url") or context.get_x_argument(as_dictionary=True).get("url")
    return str(url) if url else load_settings().database_url


def _ensure_sqlite_directory(url: str) -> None:
    """Create the directory of a file-based SQLite database (e.g. var/) if it is missing."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Render UTCDateTime as its implementation so revision files never import app code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure(**kwargs: Any) -> None:
    context.configure(
        target_metadata=target_metadata,
        compare_type=True,
        include_object=include_object,
        render_item=_render_item,
        **kwargs,
    )


def _run(connection: Connection) -> None:
    is_sqlite = connection.dialect.name == "sqlite"
    # SQLite can run DDL in a transaction: do so, so a failed upgrade leaves nothing half-done.
    _configure(connection=connection, render_as_batch=is_sqlite, transactional_ddl=True)
    with context.begin_transaction():
        context.run_migrations()
        if is_sqlite:
            # Foreign keys are off while migrating (batch table rebuilds must not cascade).
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise RuntimeError(f"migration left foreign key violations: {problems[:5]}")


def _foreign_keys_off(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=OFF")
    cursor.close()


async def _run_async(url: str) -> None:
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _foreign_keys_off)  # after create_engine's
    try:
        async with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                conn = await conn.execution_options(write=True)  # BEGIN IMMEDIATE
            await conn.run_sync(_run)
            # SQLite's BEGIN comes from create_engine's hook and the version-table probe
            # autobegins, so alembic may not own the transaction: always commit explicitly.
            if conn.in_transaction():
                await conn.commit()
    finally:
        await engine.dispose()


def run_migrations_offline() -> None:
    """`alembic upgrade head --sql`: emit the SQL script instead of running it."""
    url = _database_url()
    _configure(
        url=url,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = _database_url()
    _ensure_sqlite_directory(url)
    asyncio.run(_run_async(url))


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
