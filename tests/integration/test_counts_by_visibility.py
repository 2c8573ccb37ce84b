"""Counts equal what the viewer can list — for the owner, a follower, a stranger, an app
without a user and a managing partner app — while tracks are hidden, released, taken down,
restored and deleted, with every count cached before each change (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import msgspec
import pytest

from app.foundation.counters.repository import playlist_counters, releases, user_counters
from app.foundation.db import utcnow
from app.value_added.access import Viewer
from app.value_added.catalog import PlaylistChanges, PlaylistDraft, TrackChanges, TrackDraft
from app.value_added.common.cursor import Page
from app.value_added.common.fieldmask import FieldMask
from app.value_added.registry import Services, build_services
from tests.factories import make_user

SECRET = "counts-test-secret-0123456789"
STATS = FieldMask.parse("stats")
ALL = FieldMask.all()
HOUR = dt.timedelta(hours=1)


class Clock:
    """The services' clock, moved by the test (a release passes without any write)."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def services(database_url: str, clock: Clock) -> AsyncIterator[Services]:
    s = build_services(database_url, SECRET, clock=clock)
    yield s
    await s.close()


def user(user_id: int) -> Viewer:
    return Viewer(user_id=user_id, app_id=None, territory="DE", plan="free")


async def _all(fetch: Callable[[str | None], Awaitable[Page[Any]]]) -> list[Any]:
    items: list[Any] = []
    cursor: str | None = None
    while True:
        page = await fetch(cursor)
        items.extend(page.items)
        if page.next_cursor is None:
            return items
        cursor = page.next_cursor


async def listed(s: Services, viewer: Viewer, user_id: int) -> dict[str, int]:
    """How many of each of the user's lists the viewer can list."""
    t, p = s.tracks, s.playlists
    reposts = await _all(lambda c: t.reposted_by(viewer, user_id, ALL, c, 200))
    reposts += await _all(lambda c: p.reposted_by(viewer, user_id, ALL, c, 200))
    return {
        "tracks": len(await _all(lambda c: t.by_user(viewer, user_id, ALL, c, 200))),
        "likes": len(await _all(lambda c: t.liked_by(viewer, user_id, ALL, c, 200))),
        "reposts": len(reposts),
        "comments": len(await _all(lambda c: t.comments_by_user(viewer, user_id, c, 200))),
        "playlists": len(await _all(lambda c: p.by_user(viewer, user_id, ALL, c, 200))),
        "playlist_likes": len(await _all(lambda c: p.liked_by(viewer, user_id, ALL, c, 200))),
    }


async def counted(s: Services, viewer: Viewer, user_id: int) -> dict[str, int]:
    stats = (await s.users.get(viewer, user_id, STATS)).stats
    assert isinstance(stats, msgspec.Struct)
    names = ("tracks", "likes", "reposts", "comments", "playlists", "playlist_likes")
    return {name: getattr(stats, name) for name in names}


async def playlist_seen(
    s: Services, viewer: Viewer, playlist_id: int, exact: bool = True
) -> tuple[int, int]:
    """(entries listed, their duration) and what the playlist's stats say, must agree (or,
    not `exact`, the stats count no more than is listed)."""
    got = await s.playlists.get(viewer, playlist_id, ALL)
    tracks = got.tracks
    assert isinstance(tracks, list) and got.stats
    listed_ = (len(tracks), sum(t.duration_ms for t in tracks))
    stats = (got.stats.tracks, got.stats.duration_ms)  # type: ignore[union-attr]
    if exact:
        assert stats == listed_, (viewer, playlist_id)
    else:
        assert stats[0] <= listed_[0] and stats[1] <= listed_[1], (viewer, playlist_id)
    return listed_


class World(msgspec.Struct):
    owner: int
    fan: int
    stranger: int
    viewers: dict[str, Viewer]
    tracks: dict[str, int]
    playlists: dict[str, int]


async def _world(s: Services, clock: Clock) -> World:
    db = s.deps.db
    owner, fan, stranger = await make_user(db), await make_user(db), await make_user(db)
    me = user(owner)

    async def track(title: str, **policy: Any) -> int:
        draft = TrackDraft(title=title, duration_ms=60_000 + len(title) * 1000, **policy)
        return (await s.creator.create_track(me, owner, draft)).id

    tracks = {
        "public": await track("public one"),
        "public2": await track("public two"),
        "private": await track("private", sharing="private"),
        "scheduled": await track("scheduled", release_at=clock.now + HOUR),
        "claimed": await track("claimed"),
    }
    fans = (await s.creator.create_track(user(fan), fan, TrackDraft(title="fan's"))).id
    tracks["fans"] = fans
    for name in ("public", "private", "scheduled", "claimed"):
        await s.tracks.like(me, tracks[name])
        await s.tracks.repost(me, tracks[name])
        await s.tracks.comment(me, tracks[name], f"on {name}")
    await s.tracks.like(me, fans)
    await s.tracks.comment(me, fans, "nice")
    await s.tracks.comment(me, fans, "again")
    for name in ("public", "claimed", "public2"):
        await s.tracks.like(user(fan), tracks[name])
    await s.tracks.comment(user(fan), tracks["claimed"], "fan comment")
    await s.users.follow(user(fan), owner)
    order = [tracks[n] for n in ("public", "private", "scheduled", "claimed")] + [fans]
    album = await s.creator.create_playlist(
        me, owner, PlaylistDraft(title="album", track_ids=(*order, tracks["public"]))
    )
    secret = await s.creator.create_playlist(
        me, owner, PlaylistDraft(title="secret", sharing="private", track_ids=(tracks["private"],))
    )
    mix = await s.creator.create_playlist(
        user(fan), fan, PlaylistDraft(title="fan mix", track_ids=(fans, tracks["public"]))
    )
    await s.playlists.like(me, secret.id)
    await s.playlists.like(me, album.id)
    await s.playlists.repost(me, secret.id)
    await s.playlists.like(user(fan), album.id)
    await s.playlists.repost(user(fan), album.id)
    viewers = {
        "owner": me,
        "follower": user(fan),
        "stranger": user(stranger),
        "app": Viewer.anonymous(app_id=1, territory="DE"),
        "partner": Viewer(
            user_id=None, app_id=2, territory=None, plan="free", managed_user_ids=frozenset({owner})
        ),
    }
    playlists = {"album": album.id, "secret": secret.id, "mix": mix.id}
    return World(owner, fan, stranger, viewers, tracks, playlists)


async def _check(s: Services, w: World) -> dict[str, dict[str, int]]:
    """For every viewer: the owner's and the fan's counts equal their lists; each visible
    playlist's track count and duration equal its listed tracks. Returns the owner's counts."""
    seen: dict[str, dict[str, int]] = {}
    for name, viewer in w.viewers.items():
        for user_id in (w.owner, w.fan):
            counts, lists = await counted(s, viewer, user_id), await listed(s, viewer, user_id)
            if user_id == w.fan and name in ("owner", "partner"):
                # the owner also lists their own hidden tracks in the fan's lists; the fan's
                # counts leave those out (known limit: never more than the viewer lists)
                assert all(counts[k] <= lists[k] for k in counts), (name, counts, lists)
                continue
            assert counts == lists, (name, user_id)
        seen[name] = await counted(s, viewer, w.owner)
        await playlist_seen(s, viewer, w.playlists["album"])
        await playlist_seen(s, viewer, w.playlists["mix"], name not in ("owner", "partner"))
    await playlist_seen(s, w.viewers["owner"], w.playlists["secret"])
    return seen


async def _stored(s: Services) -> list[Any]:
    async with s.deps.db.read() as uow:
        conn = uow.connection
        out = []
        for table in (user_counters, playlist_counters):
            key = table.c[next(iter(table.primary_key.columns)).name]
            out.append(sorted(await conn.execute(table.select().order_by(key))))
        out.append(sorted(await conn.execute(releases.select())))
        return out


async def test_counts_equal_lists_for_every_viewer_through_every_change(
    services: Services, clock: Clock
) -> None:
    s = services
    w = await _world(s, clock)
    first = await _check(s, w)
    assert first["owner"] == first["partner"]
    assert first["stranger"] == first["follower"] == first["app"]
    assert first["owner"]["tracks"] == 5 and first["stranger"]["tracks"] == 3
    me = (await s.users.get(w.viewers["owner"], w.owner, STATS)).stats
    assert me.private_tracks == 1 and me.private_playlists == 1  # type: ignore[union-attr]
    other = (await s.users.get(w.viewers["stranger"], w.owner, STATS)).stats
    assert other.private_tracks is None  # type: ignore[union-attr]

    # hide a public track (liked, reposted, in playlists), counts cached
    await s.creator.update_track(
        w.viewers["owner"], w.tracks["public"], TrackChanges(sharing="private")
    )
    hidden = await _check(s, w)
    assert hidden["stranger"]["tracks"] == 2 and hidden["owner"]["tracks"] == 5

    # the scheduled release passes: no write at all, the counts follow
    clock.now += 2 * HOUR
    released = await _check(s, w)
    assert released["stranger"]["tracks"] == 3

    # take down, restore, and make public again
    await s.creator.take_down_track(w.tracks["claimed"], "copyright claim")
    down = await _check(s, w)
    assert down["stranger"]["tracks"] == 2 and down["owner"]["tracks"] == 5
    await s.creator.restore_track(w.tracks["claimed"])
    await s.creator.update_track(
        w.viewers["owner"], w.tracks["public"], TrackChanges(sharing="public")
    )
    assert (await _check(s, w))["stranger"]["tracks"] == 4

    # reschedule a released track into the future, then delete tracks and a playlist
    await s.creator.update_track(
        w.viewers["owner"], w.tracks["claimed"], TrackChanges(release_at=clock.now + HOUR)
    )
    await _check(s, w)
    await s.creator.delete_track(w.viewers["owner"], w.tracks["private"])
    await s.creator.update_playlist(
        w.viewers["owner"], w.playlists["secret"], PlaylistChanges(sharing="public")
    )
    await _check(s, w)
    await s.playlists.remove_track(w.viewers["owner"], w.playlists["album"], w.tracks["claimed"])
    await s.tracks.unlike(w.viewers["owner"], w.tracks["claimed"])
    await _check(s, w)

    # folding passed releases into the columns changes no count
    clock.now += 2 * HOUR
    before = await _check(s, w)
    async with s.deps.db.write() as uow:
        assert await uow.counters.settle(clock.now) > 0
    kept = await _stored(s)
    assert kept[2] == []
    assert await _check(s, w) == before

    # the counters kept command by command are the ones a recount finds
    async with s.deps.db.write() as uow:
        await uow.counters.recount(clock.now)
    assert await _stored(s) == kept


async def test_a_recount_schedules_what_commands_schedule(services: Services, clock: Clock) -> None:
    s = services
    w = await _world(s, clock)
    kept = await _stored(s)
    assert kept[2], "the scheduled track's release is waiting"
    async with s.deps.db.write() as uow:
        await uow.counters.recount(clock.now)
    assert await _stored(s) == kept
    await _check(s, w)


async def test_a_response_built_from_counts_is_valid_until_the_next_release(
    services: Services, clock: Clock
) -> None:
    """The edge's response cache serves a count no longer than until a release changes it."""
    from app.caching.provenance import tracking

    s = services
    owner = await make_user(s.deps.db)
    me = user(owner)
    release = clock.now + HOUR
    await s.creator.create_track(me, owner, TrackDraft(title="soon", release_at=release))
    await s.creator.create_track(me, owner, TrackDraft(title="now"))
    for viewer in (me, Viewer.anonymous(app_id=1)):
        with tracking() as provenance:
            stats = (await s.users.get(viewer, owner, STATS)).stats
        assert provenance.valid_until == release
        assert stats.tracks == (2 if viewer is me else 1)  # type: ignore[union-attr]
    clock.now = release
    assert (await s.users.get(Viewer.anonymous(app_id=1), owner, STATS)).stats.tracks == 2  # type: ignore[union-attr]
