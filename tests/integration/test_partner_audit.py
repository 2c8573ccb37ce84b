"""The partner audit trail on real databases: the 0002 migration round-trips, entries commit with
the change they describe (and roll back with it), diffs, implicit auditing and keyset pages."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Callable

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from app.foundation.db import create_engine
from app.foundation.unit_of_work import Database
from app.foundation.users.records import NewUser
from app.value_added.access import Viewer
from app.value_added.catalog import CatalogService
from app.value_added.common.deps import Deps
from app.value_added.common.errors import InvalidArgument, PermissionDenied
from app.value_added.creator import AuditContext, CreatorService, TrackChanges, TrackDraft


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(create_engine(database_url))
    yield database
    await database.dispose()


@pytest.fixture
def creator(db: Database) -> CreatorService:
    deps = Deps.build(db, "test-secret-key-123456")
    return CreatorService(deps, CatalogService(deps))


async def _setup(db: Database) -> tuple[int, int]:
    """A creator and a partner app she granted (ids)."""
    async with db.write() as uow:
        ana = (await uow.users.create(NewUser(username="ana", permalink="ana"))).id
        app = await uow.apps.try_create(
            {
                "name": "Label",
                "client_id": "cid",
                "client_secret_hash": "x",
                "bffs": ["partner"],
                "entitlements": ["partner:catalog"],
                "redirect_uris": [],
                "owner_id": None,
            }
        )
        assert app is not None
        await uow.apps.grant(app.id, ana)
    return ana, app.id


def _partner(app_id: int, *managed: int) -> Viewer:
    return Viewer(None, app_id, None, "free", managed_user_ids=frozenset(managed))


async def _entries(creator: CreatorService, viewer: Viewer) -> list[tuple[str, dict[str, object]]]:
    page = await creator.audit_trail(viewer)
    return [(e.action, e.changes) for e in page.items]


async def test_0002_upgrades_and_downgrades(
    empty_database_url: str, alembic_config: Callable[[str], Config]
) -> None:
    url = empty_database_url
    config = alembic_config(url)

    async def tables() -> set[str]:
        engine = create_engine(url)
        try:
            async with engine.connect() as conn:
                return set(await conn.run_sync(lambda c: sa.inspect(c).get_table_names()))
        finally:
            await engine.dispose()

    await asyncio.to_thread(command.upgrade, config, "0001")
    assert "partner_audit" not in await tables()
    await asyncio.to_thread(command.upgrade, config, "0002")
    assert "partner_audit" in await tables()
    await asyncio.to_thread(command.downgrade, config, "0001")
    assert "partner_audit" not in await tables() and "tracks" in await tables()
    await asyncio.to_thread(command.upgrade, config, "head")
    assert "partner_audit" in await tables()


async def test_writes_are_audited_in_their_own_transaction(
    db: Database, creator: CreatorService
) -> None:
    ana, app_id = await _setup(db)
    label = _partner(app_id, ana)
    ctx = AuditContext(app_id=app_id, app_name="Label", request_id="req-1")
    track = await creator.create_track(label, ana, TrackDraft(title="One"), audit=ctx)
    await creator.update_track(label, track.id, TrackChanges(territories=["US"]), audit=ctx)
    # Without a context a managing app is still audited (name looked up); the owner is not.
    await creator.update_track(label, track.id, TrackChanges(genre="Techno"))
    owner = Viewer(ana, None, "DE", "free")
    await creator.update_track(owner, track.id, TrackChanges(genre="House"))

    page = await creator.audit_trail(label)
    assert [(e.action, e.app_name, e.request_id) for e in page.items] == [
        ("update", "Label", None),
        ("policy", "Label", "req-1"),
        ("create", "Label", "req-1"),
    ]
    assert page.items[0].changes == {"genre": {"old": "", "new": "Techno"}}
    assert page.items[1].changes == {"territories": {"old": None, "new": ["US"]}}
    assert all(e.creator_id == ana and e.entity_id == track.id for e in page.items)

    # A failing write leaves no entry: the audit row rolls back with it.
    with pytest.raises(InvalidArgument):
        await creator.update_track(label, track.id, TrackChanges(title=" "), audit=ctx)
    with pytest.raises(PermissionDenied):
        other = AuditContext(app_id=app_id + 1, app_name="Spoof")
        await creator.update_track(label, track.id, TrackChanges(genre="x"), audit=other)
    assert len((await creator.audit_trail(label)).items) == 3
    async with db.read() as uow:
        assert (await uow.tracks.get(track.id)).genre == "House"  # type: ignore[union-attr]

    await creator.delete_track(label, track.id, audit=ctx)
    action, changes = (await _entries(creator, label))[0]
    assert action == "delete" and changes["title"] == {"old": "One", "new": None}


async def test_audit_pages_and_ranges(db: Database, creator: CreatorService) -> None:
    ana, app_id = await _setup(db)
    label = _partner(app_id, ana)
    for n in range(5):
        await creator.create_track(label, ana, TrackDraft(title=f"T{n}"))
    first = await creator.audit_trail(label, limit=2)
    second = await creator.audit_trail(label, cursor=first.next_cursor, limit=2)
    third = await creator.audit_trail(label, cursor=second.next_cursor, limit=2)
    titles = [e.changes["title"]["new"] for p in (first, second, third) for e in p.items]
    assert titles == ["T4", "T3", "T2", "T1", "T0"] and third.next_cursor is None

    now = dt.datetime.now(dt.UTC)
    assert len((await creator.audit_trail(label, since=now - dt.timedelta(hours=1))).items) == 5
    assert (await creator.audit_trail(label, until=now - dt.timedelta(hours=1))).items == []
    with pytest.raises(InvalidArgument) as bad:
        await creator.audit_trail(label, since=now, until=now)
    assert bad.value.field == "until"
    assert (await creator.audit_trail(_partner(app_id + 1))).items == []
    with pytest.raises(PermissionDenied):
        await creator.audit_trail(Viewer(ana, None, None, "free"))
