"""New installations hand out ids in SoundCloud's range; existing data keep theirs (issue 16
item 7, migration 0010), on SQLite and PostgreSQL, for single writes and bulk seeding."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable

from alembic import command
from alembic.config import Config

from app.foundation.db import create_engine
from app.foundation.tables import metadata
from app.value_added.access import Viewer
from app.value_added.creator import TrackDraft
from app.value_added.playlists import PlaylistDraft
from app.value_added.registry import build_services
from app.value_added.seeding import SeedingService, SeedSizes

SECRET = "ids-secret-key-0123456789abcdef0"
FIRST = {"users": 200_000_000, "tracks": 1_000_000_000, "playlists": 1_500_000_000}
FIRST_COMMENT = 2_000_000_000
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


async def _alembic(config: Callable[[str], Config], url: str, rev: str) -> None:
    await asyncio.to_thread(command.upgrade, config(url), rev)


async def _one_of_each(url: str) -> tuple[int, int, int, int]:
    """A user, their track and playlist, and a comment, created as the app creates them."""
    services = build_services(url, SECRET)
    try:
        user = (await services.identity.create_user("first", "correct horse battery")).id
        viewer = Viewer(user_id=user, app_id=None, territory="DE", plan="free")
        track = (await services.creator.create_track(viewer, user, TrackDraft(title="T"))).id
        draft = PlaylistDraft(title="P", track_ids=(track,))
        playlist = (await services.playlists.create(viewer, draft)).id
        comment = (await services.tracks.comment(viewer, track, "first!")).id
        return user, track, playlist, comment
    finally:
        await services.close()


async def test_a_new_installation_starts_in_soundcloud_range(
    empty_database_url: str, alembic_config: Callable[[str], Config]
) -> None:
    await _alembic(alembic_config, empty_database_url, "head")
    user, track, playlist, comment = await _one_of_each(empty_database_url)
    assert (user, track, playlist) == (FIRST["users"], FIRST["tracks"], FIRST["playlists"])
    assert comment == FIRST_COMMENT
    assert len(str(user)) >= 9 and len(str(track)) == 10
    again = await _one_of_each_more(empty_database_url)
    assert again == (user + 1, track + 1)


async def _one_of_each_more(url: str) -> tuple[int, int]:
    services = build_services(url, SECRET)
    try:
        user = (await services.identity.create_user("second", "correct horse battery")).id
        viewer = Viewer(user_id=user, app_id=None, territory="DE", plan="free")
        track = (await services.creator.create_track(viewer, user, TrackDraft(title="U"))).id
        return user, track
    finally:
        await services.close()


async def test_bulk_seeding_of_a_new_installation_starts_there_too(
    empty_database_url: str, alembic_config: Callable[[str], Config]
) -> None:
    await _alembic(alembic_config, empty_database_url, "head")
    services = build_services(empty_database_url, SECRET)
    try:
        seeding = SeedingService(services.deps, services.identity, SECRET, batch_size=50)
        sizes = SeedSizes(users=5, tracks=20, playlists=3, likes=10, comments=10, plays=5)
        await seeding.seed_catalog(sizes, seed=3)
        async with services.deps.db.read() as uow:
            first = await uow.users.get(FIRST["users"])
            assert first is not None and await uow.users.get(FIRST["users"] - 1) is None
        after = await services.identity.create_user("after", "correct horse battery")
        assert after.id == FIRST["users"] + 5
        async with services.deps.db.read() as uow:
            assert await uow.tracks.max_id() == FIRST["tracks"] + 19
            assert await uow.playlists.max_id() == FIRST["playlists"] + 2
    finally:
        await services.close()


async def test_existing_data_keep_their_ids(
    empty_database_url: str, alembic_config: Callable[[str], Config]
) -> None:
    url = empty_database_url
    await _alembic(alembic_config, url, "0009_app_client_type")
    users = metadata.tables["users"]
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            user_id = await conn.scalar(
                users.insert()
                .values(
                    username="old", permalink="old", first_name="", last_name="",
                    description="", city="", plan="free", website="", website_title="",
                    created_at=NOW, updated_at=NOW,
                )
                .returning(users.c.id)
            )  # fmt: skip
    finally:
        await engine.dispose()
    assert user_id == 1
    await _alembic(alembic_config, url, "head")
    services = build_services(url, SECRET)
    try:
        async with services.deps.db.read() as uow:
            old = await uow.users.get(1)
        assert old is not None and old.username == "old"
        new = await services.identity.create_user("new", "correct horse battery")
        assert new.id == 2  # continues after the existing rows
        viewer = Viewer(user_id=new.id, app_id=None, territory="DE", plan="free")
        track = await services.creator.create_track(viewer, new.id, TrackDraft(title="T"))
        assert track.id == FIRST["tracks"]  # an empty table starts in range
    finally:
        await services.close()
