"""The migrations build exactly the schema the table metadata describes, on SQLite and PostgreSQL,
plus the dialect-specific full-text search objects, and round-trip down to base and back."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.foundation.db import create_engine
from app.foundation.migrations_state import include_object, migration_status, script_location
from app.foundation.tables import metadata

HEAD = ScriptDirectory(str(script_location())).get_current_head()
SEARCH_DOCUMENT = "search_document"
"""PostgreSQL: the stored generated tsvector of title, tags, genre and description (0013)."""
NOW = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


async def _alembic(alembic_config: Callable[[str], Config], url: str, verb: str, rev: str) -> None:
    await asyncio.to_thread(getattr(command, verb), alembic_config(url), rev)


def _table_names(conn: Connection) -> set[str]:
    return set(sa.inspect(conn).get_table_names())


def _schema_diff(conn: Connection) -> list[Any]:
    context = MigrationContext.configure(
        conn, opts={"compare_type": True, "include_object": include_object}
    )
    return list(compare_metadata(context, metadata))


async def _insert_track(conn: AsyncConnection, **fields: Any) -> int:
    users, tracks = metadata.tables["users"], metadata.tables["tracks"]
    user_id = await conn.scalar(
        users.insert()
        .values(username="ana", permalink="ana", created_at=NOW, updated_at=NOW)
        .returning(users.c.id)
    )
    track_id = await conn.scalar(
        tracks.insert()
        .values(user_id=user_id, permalink="t", created_at=NOW, updated_at=NOW, **fields)
        .returning(tracks.c.id)
    )
    assert isinstance(track_id, int)
    return track_id


async def test_upgrade_downgrade_upgrade_round_trip(
    empty_database_url: str, alembic_config: Callable[[str], Config]
) -> None:
    url = empty_database_url
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            assert await migration_status(conn) == (None, HEAD)

        await _alembic(alembic_config, url, "upgrade", "head")
        async with engine.connect() as conn:  # a new connection: the upgrade was committed
            assert set(metadata.tables) <= await conn.run_sync(_table_names)
            assert await migration_status(conn) == (HEAD, HEAD)

        await _alembic(alembic_config, url, "downgrade", "base")
        async with engine.connect() as conn:
            assert await conn.run_sync(_table_names) <= {"alembic_version"}
            assert await migration_status(conn) == (None, HEAD)

        await _alembic(alembic_config, url, "upgrade", "head")
        async with engine.connect() as conn:
            assert set(metadata.tables) <= await conn.run_sync(_table_names)
            assert await migration_status(conn) == (HEAD, HEAD)
            assert await conn.run_sync(_schema_diff) == []
    finally:
        await engine.dispose()


async def test_migrated_schema_matches_the_table_metadata(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        assert await conn.run_sync(_schema_diff) == []
        assert await migration_status(conn) == (HEAD, HEAD)


async def test_database_url_is_empty(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        for table in metadata.sorted_tables:
            assert await conn.scalar(sa.select(sa.func.count()).select_from(table)) == 0


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_sqlite_fts_follows_tracks(engine: AsyncEngine) -> None:
    def match(query: str) -> sa.TextClause:
        return sa.text("SELECT rowid FROM tracks_fts WHERE tracks_fts MATCH :q").bindparams(q=query)

    async with engine.begin() as conn:
        names = set(
            await conn.scalars(
                sa.text("SELECT name FROM sqlite_master WHERE name LIKE 'tracks_fts%'")
            )
        )
        assert {"tracks_fts", "tracks_fts_ai", "tracks_fts_ad", "tracks_fts_au"} <= names

        track_id = await _insert_track(
            conn, title="Café del Mar", tag_list="chill", genre="Ambient", description="sunset"
        )
        assert list(await conn.scalars(match("cafe"))) == [track_id]  # diacritics removed
        assert list(await conn.scalars(match("ambient sunset"))) == [track_id]

        tracks = metadata.tables["tracks"]
        await conn.execute(tracks.update().values(title="Night Drive"))
        assert list(await conn.scalars(match("cafe"))) == []
        assert list(await conn.scalars(match("night"))) == [track_id]

        await conn.execute(tracks.delete())
        assert list(await conn.scalars(match("night"))) == []
        check = "INSERT INTO tracks_fts(tracks_fts, rank) VALUES ('integrity-check', 1)"
        await conn.execute(sa.text(check))  # raises if the index and tracks disagree


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_postgres_search_index_finds_tracks(engine: AsyncEngine) -> None:
    search = sa.text(
        f"SELECT id FROM tracks WHERE {SEARCH_DOCUMENT} @@ plainto_tsquery('simple', :q)"
    )
    async with engine.begin() as conn:
        definition = await conn.scalar(
            sa.text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_tracks_search'")
        )
        assert definition is not None
        assert "USING gin (search_document)" in definition

        track_id = await _insert_track(
            conn, title="Night Drive", tag_list="synthwave", genre="Electronic", description=""
        )
        assert list(await conn.scalars(search.bindparams(q="night synthwave"))) == [track_id]
        assert list(await conn.scalars(search.bindparams(q="jazz"))) == []
        tracks = metadata.tables["tracks"]
        await conn.execute(tracks.update().values(tag_list="vaporwave"))  # (the document follows)
        assert list(await conn.scalars(search.bindparams(q="night synthwave"))) == []
        assert list(await conn.scalars(search.bindparams(q="night vaporwave"))) == [track_id]

        await conn.execute(sa.text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(await conn.scalars(sa.text(f"EXPLAIN {search.text}"), {"q": "night"}))
        assert "ix_tracks_search" in plan  # queries written this way use the index
