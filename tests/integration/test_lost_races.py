"""Transactions that lose a race (deadlocks, serialization failures) are run again inside the
unit of work: deleting a track while it is being (un)liked never reaches the caller as an error."""

from __future__ import annotations

import asyncio

from app.value_added.access import Viewer
from app.value_added.common.errors import NotFound
from app.value_added.registry import build_services
from tests.factories import make_track, make_user

SECRET = "test-secret-key-0123456789"
FANS = 12
ROUNDS = 3


def _viewer(user_id: int) -> Viewer:
    return Viewer(user_id=user_id, app_id=None, territory="DE", plan="free")


async def test_deleting_a_track_while_it_is_liked_and_unliked_never_fails(
    database_url: str,
) -> None:
    services = build_services(database_url, SECRET)
    db = services.deps.db
    try:
        owner = await make_user(db)
        fans = [await make_user(db) for _ in range(FANS)]
        for _ in range(ROUNDS):
            track = await make_track(db, owner)
            for fan in fans[: FANS // 2]:  # (the delete has likes to take back)
                await services.tracks.like(_viewer(fan), track)

            async def like(fan: int, track: int = track, on: bool = True) -> str:
                toggle = services.tracks.like if on else services.tracks.unlike
                try:
                    await toggle(_viewer(fan), track)
                except NotFound:
                    return "gone"
                return "liked"

            async def delete(track: int = track) -> str:
                await asyncio.sleep(0)
                await services.creator.delete_track(_viewer(owner), track)
                return "deleted"

            outcomes = await asyncio.gather(
                *(like(f) for f in fans[FANS // 2 :]),
                delete(),
                *(like(f, on=False) for f in fans[: FANS // 2]),
            )
            assert "deleted" in outcomes and set(outcomes) <= {"gone", "liked", "deleted"}
            async with db.read() as uow:
                assert await uow.tracks.get(track) is None
    finally:
        await services.close()
