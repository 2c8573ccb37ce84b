"""Write statements compiled once give what SQLAlchemy Core gives, through the engine and, in a
SQLite group commit, run on the sqlite3 connection directly: no SQLAlchemy execution, counted as
statements, their errors the engine's (a foreign key violation is a MissingReference)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import sqlalchemy.exc
from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    Table,
    bindparam,
    delete,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import sqlite

from app.foundation.counters.repository import track_counters
from app.foundation.db import MissingReference, count_statements, create_engine
from app.foundation.playlists.repository import entries
from app.foundation.prepared_writes import PreparedWrite
from app.foundation.social.repository import comments
from app.foundation.unit_of_work import Database, UnitOfWork
from tests.factories import make_track, make_user


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(create_engine(database_url), group_commit=True)
    yield database
    await database.dispose()


async def _writes(uow: UnitOfWork, user: int, track: int, playlist: int) -> dict[str, Any]:
    """Every prepared write of the engagement commands, with what each reported."""
    likes = uow.social.track_likes
    return {
        "liked": [await likes.add(user, track), await likes.add(user, track)],
        "unliked": [await likes.remove(user, track), await likes.remove(user, track)],
        "created": await uow.counters.tracks.add(track, comments=2),  # (no row yet: INSERT)
        "incremented": await uow.counters.tracks.add(track, comments=1, likes=1),
        "comment": await uow.social.add_comment(track, user, "hi", 1234),
        "appended": await uow.playlists.append(playlist, [track, track], after=0),
        "touched": await uow.playlists.touch(playlist),
    }


async def _playlist_and_no_counts(db: Database, user: int, track: int) -> int:
    """A playlist of the user's, and the track's counter row deleted (its first count then
    takes the UPDATE that finds no row and the INSERT)."""
    async with db.write() as uow:
        created = await uow.playlists.create(user, "secret", {"title": "P", "permalink": "p"})
        await uow.connection.execute(
            delete(track_counters).where(track_counters.c.track_id == track)
        )
    return created.id


@pytest.mark.parametrize("grouped", [True, False], ids=["group-commit", "own-transaction"])
async def test_prepared_writes_give_what_core_gives(db: Database, grouped: bool) -> None:
    user = await make_user(db)
    track = await make_track(db, user)
    playlist = await _playlist_and_no_counts(db, user, track)

    async def command(uow: UnitOfWork) -> dict[str, Any]:
        return await _writes(uow, user, track, playlist)

    if grouped:
        got = await db.write_grouped(command)
    else:
        got = await db.transact(command)
    assert got["liked"] == [True, False] and got["unliked"] == [True, False]
    assert (got["created"].comments, got["created"].likes) == (2, 0)
    assert (got["incremented"].comments, got["incremented"].likes) == (3, 1)
    comment = got["comment"]
    async with db.read() as uow:
        stored = await uow.social.comment(comment.id)
        [counts] = await uow.counters.tracks.get_many([track])
        listed = await uow.playlists.entries_of([playlist])
        record = await uow.playlists.get(playlist)
        rows = (await uow.connection.execute(select(comments.c.created_at))).scalars().all()
    assert stored == comment and comment.created_at.tzinfo is not None
    assert comment.timestamp_ms == 1234 and comment.body == "hi"
    assert (counts.comments, counts.likes) == (3, 1)
    assert [(e.track_id, e.position) for e in listed] == [(track, 1), (track, 2)]
    assert all(e.added_at.tzinfo is not None for e in listed)
    assert record is not None and record.version == 1
    assert rows == [comment.created_at]


async def test_grouped_prepared_statements_skip_the_engine_but_are_counted(
    sqlite_url: str,
) -> None:
    db = Database(create_engine(sqlite_url))
    user = await make_user(db)
    track = await make_track(db, user)
    playlist = await _playlist_and_no_counts(db, user, track)
    db.cache.clear()
    through_engine: list[str] = []
    event.listen(
        db.engine.sync_engine,
        "before_cursor_execute",
        lambda _conn, _cursor, statement, *_: through_engine.append(statement),
    )

    async def command(uow: UnitOfWork) -> None:
        await uow.tracks.get(track)  # (prepared reads too, once the write lock is held)
        await _writes(uow, user, track, playlist)

    try:
        with count_statements() as n:
            await db.write_grouped(command)
        assert through_engine == ["BEGIN IMMEDIATE"]
        # the track read; the edge twice, removed twice; the counters' UPDATE finding no row,
        # INSERT, UPDATE; the comment, the entries (one executemany), the playlist's version
        assert n[0] == 11
    finally:
        await db.dispose()


async def test_errors_of_inline_statements_are_the_engines(sqlite_url: str) -> None:
    db = Database(create_engine(sqlite_url))
    user = await make_user(db)
    track = await make_track(db, user)

    async def like_missing(uow: UnitOfWork) -> bool:
        return await uow.social.track_likes.add(user, track + 1000)

    async def comment_nothing(uow: UnitOfWork) -> Any:
        return await uow.social.add_comment(track, user, None, None)  # type: ignore[arg-type]

    try:
        with pytest.raises(MissingReference):
            await db.write_grouped(like_missing)
        with pytest.raises(sqlalchemy.exc.IntegrityError, match="NOT NULL"):
            await db.write_grouped(comment_nothing)
        async with db.read() as uow:  # (nothing half-written stayed behind)
            assert not await uow.social.track_likes.exists(user, track + 1000)
    finally:
        await db.dispose()


def test_shapes_that_cannot_be_prepared_are_refused() -> None:
    dialect = sqlite.dialect()
    table = Table("t", MetaData(), Column("id", Integer), Column("n", Integer, default=lambda: 1))
    with pytest.raises(ValueError, match="only scalar defaults"):
        PreparedWrite(insert(table).values(id=bindparam("_id")), dialect)
    expanding = update(entries).where(entries.c.id.in_(bindparam("_ids", expanding=True)))
    with pytest.raises(ValueError, match="expanding"):
        PreparedWrite(expanding.values(position=1), dialect)
