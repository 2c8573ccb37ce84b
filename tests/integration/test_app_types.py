"""Issue 12 item 2: the migration adding app client types keeps every existing app
confidential, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from app.foundation.db import create_engine
from app.foundation.migrations_state import script_location

ADDED = "0009_app_client_type"
_down = ScriptDirectory(str(script_location())).get_revision(ADDED).down_revision
assert isinstance(_down, str)
BEFORE: str = _down
"""The revision before app client types."""


async def test_existing_apps_stay_confidential(
    empty_database_url: str, alembic_config: Callable[[str], Config]
) -> None:
    url = empty_database_url
    await asyncio.to_thread(command.upgrade, alembic_config(url), BEFORE)
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                sa.text(
                    "INSERT INTO apps (client_id, client_secret_hash, name, redirect_uris, bffs,"
                    " entitlements, created_at) VALUES ('old-client', 'h', 'Old app', '[]',"
                    " '[\"public\"]', '[\"read\"]', CURRENT_TIMESTAMP)"
                )
            )
        await asyncio.to_thread(command.upgrade, alembic_config(url), ADDED)
        async with engine.connect() as conn:
            found = await conn.execute(sa.text("SELECT client_type FROM apps"))
            assert list(found.scalars()) == ["confidential"]
        await asyncio.to_thread(command.downgrade, alembic_config(url), BEFORE)
        async with engine.connect() as conn:
            names = await conn.run_sync(
                lambda sync: {c["name"] for c in sa.inspect(sync).get_columns("apps")}
            )
            assert "client_type" not in names and "client_id" in names
    finally:
        await engine.dispose()
