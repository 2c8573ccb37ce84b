"""Transactions that lose a race (deadlocks, serialization failures) are run again inside the
unit of work: deleting a track or a playlist while it is being (un)liked or added to, and crossing
follows, never reach the caller as an error."""

from __future__ import annotations

import asyncio

from app.value_added.access import Viewer
from app.value_added.common.errors import NotFound
from app.value_added.registry import build_services
from tests.factories import make_playlist, make_track, make_user

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


async def test_deleting_a_playlist_while_it_is_added_to_and_liked_never_fails(
    database_url: str,
) -> None:
    services = build_services(database_url, SECRET)
    db = services.deps.db
    try:
        owner = await make_user(db)
        fans = [await make_user(db) for _ in range(FANS)]
        tracks = [await make_track(db, owner) for _ in range(4)]
        for _ in range(ROUNDS):
            playlist = await make_playlist(db, owner, tracks[:2])
            for fan in fans[: FANS // 2]:  # (the delete has likes to take back)
                await services.playlists.like(_viewer(fan), playlist)

            async def like(fan: int, playlist: int = playlist, on: bool = True) -> str:
                toggle = services.playlists.like if on else services.playlists.unlike
                try:
                    await toggle(_viewer(fan), playlist)
                except NotFound:
                    return "gone"
                return "liked"

            async def add(track: int, playlist: int = playlist) -> str:
                try:
                    await services.playlists.add_tracks(_viewer(owner), playlist, [track])
                except NotFound:
                    return "gone"
                return "added"

            async def delete(playlist: int = playlist) -> str:
                await asyncio.sleep(0)
                await services.playlists.delete(_viewer(owner), playlist)
                return "deleted"

            outcomes = await asyncio.gather(
                *(like(f) for f in fans[FANS // 2 :]),
                *(add(t) for t in tracks),
                delete(),
                *(like(f, on=False) for f in fans[: FANS // 2]),
            )
            assert "deleted" in outcomes
            assert set(outcomes) <= {"gone", "liked", "added", "deleted"}
            async with db.read() as uow:
                assert await uow.playlists.get(playlist) is None
        async with db.read() as uow:  # every like taken back with its playlist
            counts = await uow.counters.user_counts([owner, *fans])
        assert {c.playlist_likes for c in counts} == {0}
        assert counts[0].playlists == 0
    finally:
        await services.close()


async def test_crossing_follows_and_unfollows_never_fail_and_count_exactly(
    database_url: str,
) -> None:
    services = build_services(database_url, SECRET)
    db = services.deps.db
    try:
        users = [await make_user(db) for _ in range(6)]
        pairs = [(a, b) for a in users for b in users if a != b]
        await asyncio.gather(*(services.users.follow(_viewer(a), b) for a, b in pairs))
        await asyncio.gather(
            *(services.users.unfollow(_viewer(a), b) for a, b in pairs if a < b),
            *(services.users.follow(_viewer(a), b) for a, b in pairs if a > b),
        )
        async with db.read() as uow:
            counts = {c.user_id: c for c in await uow.counters.user_counts(users)}
        for rank, user in enumerate(sorted(users)):  # followed by those after it only
            assert counts[user].followers == len(users) - 1 - rank
            assert counts[user].followings == rank
    finally:
        await services.close()
