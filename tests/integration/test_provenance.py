"""Provenance of VAS reads: which cached records a result was built from, whether anything came
from the database, and when a time-dependent decision (a release) changes — the facts the
edge's representation cache relies on."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest

from app.caching.provenance import tracking
from app.foundation.db import count_statements, utcnow
from app.value_added.access import Viewer
from app.value_added.common.errors import NotFound
from app.value_added.common.fieldmask import FieldMask
from app.value_added.registry import Services, build_services
from tests.factories import make_track, make_user

ALL = FieldMask.all()


class Clock:
    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def services(database_url: str, clock: Clock) -> AsyncIterator[Services]:
    s = build_services(database_url, "test-secret-key-0123456789", clock)
    yield s
    await s.close()


def viewer(user_id: int | None) -> Viewer:
    return Viewer(user_id=user_id, app_id=None, territory="DE", plan="free")


async def test_a_cold_read_is_incomplete_and_a_warm_one_is_complete(services: Services) -> None:
    db = services.deps.db
    owner = await make_user(db)
    track = await make_track(db, owner)
    with tracking() as cold:
        await services.tracks.get(viewer(None), track, ALL)
    assert not cold.complete and not services.still_current(cold)
    with tracking() as warm:
        await services.tracks.get(viewer(None), track, ALL)
    assert warm.complete and warm.entries and services.still_current(warm)
    assert any(kind == "track" and key == track for kind, key in warm.entries)


async def test_any_write_to_a_record_read_makes_the_result_stale(services: Services) -> None:
    db = services.deps.db
    owner, fan = await make_user(db), await make_user(db)
    track = await make_track(db, owner)
    await services.tracks.get(viewer(fan), track, ALL)
    with tracking() as read:
        await services.tracks.get(viewer(fan), track, ALL)
    assert services.still_current(read)
    await services.tracks.like(viewer(fan), track)
    assert not services.still_current(read)


async def test_a_change_in_another_process_makes_the_result_stale(services: Services) -> None:
    db = services.deps.db
    owner = await make_user(db)
    track = await make_track(db, owner)
    await services.tracks.get(viewer(None), track, ALL)
    with tracking() as read:
        await services.tracks.get(viewer(None), track, ALL)
    services.forget_records("policy", [track])  # what the records bus does on a remote write
    assert not services.still_current(read)
    with tracking() as again:
        await services.tracks.get(viewer(None), track, ALL)
    services.deps.db.cache.clear()
    assert not services.still_current(again)


async def test_an_unreleased_track_is_hidden_only_until_its_release(
    services: Services, clock: Clock
) -> None:
    db = services.deps.db
    owner = await make_user(db)
    release = clock.now + dt.timedelta(hours=1)
    track = await make_track(db, owner, release_at=release)
    for _ in range(2):  # the second read is served by the record cache
        with tracking() as read, pytest.raises(NotFound):
            await services.tracks.get(viewer(None), track, ALL)
    assert read.complete and read.valid_until == release
    assert services.still_current(read)
    clock.now = release
    assert not services.still_current(read)
    assert (await services.tracks.get(viewer(None), track, ALL)).id == track


async def test_reads_outside_tracking_record_nothing(services: Services) -> None:
    db = services.deps.db
    owner = await make_user(db)
    track = await make_track(db, owner)
    await services.tracks.get(viewer(None), track, ALL)
    with tracking() as outer:
        pass
    await services.tracks.get(viewer(None), track, ALL)
    assert outer.entries == {} and outer.complete


async def test_an_apps_view_is_kept_until_its_record_changes(services: Services) -> None:
    identity, db = services.identity, services.deps.db
    created = await identity.create_app("Kept", ["public"], ["read"])
    for _ in range(2):  # the first read fills the record cache, the second the derived view
        await identity.app_by_client_id(created.client_id)
    with count_statements() as n, tracking() as outer:
        kept = await identity.app_by_client_id(created.client_id)
    assert kept is not None and kept.entitlements == {"read"} and n[0] == 0
    assert outer.complete and ("app_by_client", created.client_id) in outer.entries

    async with db.write() as uow:
        await uow.apps.update(kept.id, {"entitlements": ["read", "write"]})
    changed = await identity.app_by_client_id(created.client_id)
    assert changed is not None and changed.entitlements == {"read", "write"}
    assert not services.still_current(outer)
    assert await identity.app_by_client_id("no-such-client") is None


async def test_nested_tracking_counts_for_the_outer_context(services: Services) -> None:
    db = services.deps.db
    owner = await make_user(db)
    track = await make_track(db, owner)
    await services.tracks.get(viewer(None), track, ALL)
    with tracking() as outer:
        with tracking() as inner:
            await services.tracks.get(viewer(None), track, ALL)
        assert inner.entries and inner.complete
    assert outer.entries == inner.entries and outer.complete
    with tracking() as outer, tracking():  # a miss inside makes the outer one incomplete
        await services.users.get_many(viewer(None), [999_999], FieldMask.parse("username"))
    assert not outer.complete
