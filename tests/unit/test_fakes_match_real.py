"""Contract: the in-memory fakes answer exactly as the real SQLite repositories do.

Each scenario runs the same repository calls against `InMemoryDatabase` and against
`Database(create_engine(sqlite_url))` and compares every answer. Timestamps the repositories
stamp themselves ("now") differ between the runs, so they (and keys made from them) are
normalized; seeded timestamps (2023) are compared exactly, keys included.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import msgspec
import pytest

from app.foundation.catalog.records import CatalogScope
from app.foundation.db import create_engine
from app.foundation.query import _encode
from app.foundation.tracks.records import TrackSearch
from app.foundation.unit_of_work import Database
from app.foundation.users.records import NewUser
from tests.unit.fakes import InMemoryDatabase

T0 = dt.datetime(2023, 3, 1, 12, 0, tzinfo=dt.UTC)
STAMPED = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
STAMPED_KEY = _encode(STAMPED)
Log = list[tuple[str, Any]]
Scenario = Callable[[Any, Log], Awaitable[None]]


def at(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def normalize(value: Any) -> Any:
    """Plain data with repository-stamped times (and keys built from them) made comparable."""
    if isinstance(value, msgspec.Struct):
        return {"__type__": type(value).__name__, **normalize(msgspec.structs.asdict(value))}
    if isinstance(value, dt.datetime):
        return "<stamped>" if value >= STAMPED else value
    if isinstance(value, int) and not isinstance(value, bool) and value >= STAMPED_KEY:
        return "<stamped>"
    if isinstance(value, dict):
        return {k: normalize(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalize(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(normalize(v) for v in value)
    return value


@pytest.fixture
async def real_db(sqlite_url: str) -> AsyncIterator[Database]:
    db = Database(create_engine(sqlite_url))
    yield db
    await db.dispose()


async def run_both(real_db: Database, scenario: Scenario) -> None:
    real: Log = []
    fake: Log = []
    await scenario(real_db, real)
    await scenario(InMemoryDatabase(), fake)
    assert [label for label, _ in fake] == [label for label, _ in real]
    for (label, got), (_, want) in zip(fake, real, strict=True):
        assert normalize(got) == normalize(want), label


async def seed(db: Any) -> None:
    """Deterministic rows (explicit ids and times; ties on created_at on purpose)."""
    users = [
        {"id": i, "username": name, "permalink": name.lower(), "first_name": first,
         "last_name": "Smith", "country": "DE", "plan": "free", "created_at": at(m),
         "updated_at": at(m)}
        for i, name, first, m in [(1, "Ann", "Ann", 0), (2, "bob", "Robert", 1),
                                  (3, "Cy_x", "Cy", 1), (4, "dee", "Dee", 2)]
    ]  # fmt: skip
    tracks = [
        {"id": i, "user_id": u, "title": title, "permalink": f"t{i}", "genre": genre,
         "tag_list": tags, "bpm": bpm, "duration_ms": 1000 * i, "description": "",
         "created_at": at(m), "updated_at": at(m)}
        for i, u, title, genre, tags, bpm, m in [
            (1, 1, "Deep Night", "House", "deep night", 120.0, 0),
            (2, 1, "Sunrise", "techno", "morning", None, 5),
            (3, 2, "Night Drive", "house", "drive deep-house", 128.0, 5),
            (4, 2, "Blue", "", "", 90.0, 5),
            (5, 3, "Nightfall", "Ambient", "chill", 70.0, 7),
            (6, 1, "Hidden", "techno", "", 130.0, 9),
        ]
    ]  # fmt: skip
    policies = [
        {"track_id": i, "sharing": "private" if i == 6 else "public", "secret_token": f"s-{i}",
         "release_at": at(60) if i == 5 else None, "territories": ["DE"] if i == 2 else None,
         "streamable": True, "downloadable": i % 2 == 0, "commentable": True,
         "monetization": "premium" if i == 3 else "none", "taken_down_at": None,
         "takedown_reason": "", "updated_at": at(0)}
        for i in range(1, 7)
    ]  # fmt: skip
    async with db.write() as uow:
        await uow.users.create_many(users)
        await uow.tracks.create_many(tracks)
        await uow.policies.create_many(policies)
        for kind, rows in {
            "track_likes": [(1, 3, at(10)), (2, 3, at(10)), (4, 3, at(11)), (2, 1, at(12))],
            "track_reposts": [(3, 1, at(3))],
            "follows": [(1, 2, at(1)), (1, 3, at(1)), (1, 4, at(2)), (2, 1, at(4))],
        }.items():
            await getattr(uow.social, kind).add_timed(rows)
        await uow.social.add_comments(
            [
                {"id": i, "track_id": t, "user_id": u, "body": f"c{i}", "timestamp_ms": ms,
                 "created_at": at(m)}
                for i, t, u, ms, m in [(1, 1, 2, None, 5), (2, 1, 3, 500, 5), (3, 3, 2, 0, 6)]
            ]
        )  # fmt: skip
        await uow.plays.add_plays(
            [
                {"id": i, "track_id": t, "user_id": u, "app_id": None, "territory": "DE",
                 "played_at": at(m)}
                for i, t, u, m in [(1, 1, 2, 1), (2, 3, 2, 1), (3, 1, 2, 3), (4, 2, 1, 3)]
            ]
        )  # fmt: skip


async def pages(fetch: Callable[[Any, int], Awaitable[Any]], limit: int) -> list[Any]:
    """Every page of a keyset listing, following next_key."""
    out, key = [], None
    while True:
        page = await fetch(key, limit)
        out.append(page)
        if page.next_key is None or len(out) > 10:
            return out
        key = page.next_key


async def reads(db: Any, log: Log) -> None:
    await seed(db)
    async with db.read() as uow:
        log.append(("users.get_many", await uow.users.get_many([4, 99, 1, 4])))
        log.append(("users.get missing", await uow.users.get(99)))
        log.append(("users.by_permalink", await uow.users.by_permalink("bob")))
        log.append(("users.page", await pages(uow.users.page, 2)))
        for q in ("o", "smith", "cy_", "cy%x", "rob", "nobody"):
            log.append(
                (f"users.search {q}", await pages(lambda k, n, q=q: uow.users.search(q, k, n), 2))
            )
        log.append(("tracks.get_many", await uow.tracks.get_many([3, 1, 3, 42])))
        log.append(("tracks.get", await uow.tracks.get(2)))
        log.append(("tracks.by_permalink", await uow.tracks.by_permalink(2, "t3")))
        log.append(("tracks.by_permalink other", await uow.tracks.by_permalink(1, "t3")))
        log.append(
            ("tracks.by_user", await pages(lambda k, n: uow.tracks.by_user([1, 2], k, n), 2))
        )
        searches = [
            TrackSearch(), TrackSearch(text="nig"), TrackSearch(text="night deep"),
            TrackSearch(text="house"), TrackSearch(genres=("HOUSE",)), TrackSearch(tags=("deep",)),
            TrackSearch(bpm_from=100, bpm_to=128), TrackSearch(ids=(1, 2, 3), user_id=1),
            TrackSearch(duration_from_ms=2000, duration_to_ms=4000),
            TrackSearch(created_from=at(5), created_to=at(7)), TrackSearch(text="!!"),
        ]  # fmt: skip
        scopes = [
            CatalogScope(), CatalogScope(owners=(1,)), CatalogScope(unblocked=True),
            CatalogScope(owners=(2, 3), unblocked=True, territory="DE"),
        ]  # fmt: skip
        for f in searches:
            for scope in scopes:  # (at 30 minutes: track 5 is not released yet)
                found = await pages(
                    lambda k, n, f=f, s=scope: uow.catalog.search(f, at(30), s, k, n), 2
                )
                log.append((f"catalog.search {f} {scope}", found))
        for t in (1, 4):
            record = await uow.tracks.get(t)
            log.append(
                (
                    f"tracks.related {t}",
                    await pages(lambda k, n, r=record: uow.tracks.related(r, k, n), 10),
                )
            )
        log.append(("policies.get_many", await uow.policies.get_many([6, 2, 2, 77, 5])))
        follows = uow.social.follows
        log.append(("follows.of_user", await pages(lambda k, n: follows.of_user(1, k, n), 2)))
        log.append(
            (
                "likes.to_target",
                await pages(lambda k, n: uow.social.track_likes.to_target(3, k, n), 2),
            )
        )
        log.append(("follows.which", await follows.which(1, [2, 3, 5, 2])))
        log.append(("follows.sources_among", await follows.sources_among(1, [2, 3, 4])))
        log.append(("follows.exists", [await follows.exists(1, 2), await follows.exists(2, 3)]))
        log.append(("likes.all_users", set(await uow.social.track_likes.all_users(3))))
        log.append(("comment", [await uow.social.comment(2), await uow.social.comment(9)]))
        log.append(
            (
                "comments_of_track",
                await pages(lambda k, n: uow.social.comments_of_track(1, k, n), 1),
            )
        )
        log.append(
            ("comments_of_user", await pages(lambda k, n: uow.social.comments_of_user(2, k, n), 1))
        )
        log.append(("plays.history", await pages(lambda k, n: uow.plays.history(2, k, n), 2)))
        log.append(("track_counts zero", await uow.counters.track_counts([1, 2, 1])))
        for bad in [(1,), ("x", 1)]:
            try:
                await uow.users.page(bad, 2)
            except ValueError as exc:
                log.append((f"malformed key {bad}", str(exc)))


async def writes(db: Any, log: Log) -> None:
    await seed(db)
    async with db.write() as uow:
        user = await uow.users.create(NewUser(username="eve", permalink="eve"))
        log.append(("users.create defaults", user))
        track = await uow.tracks.create(user.id, {"title": "Min", "permalink": "min"})
        log.append(("tracks.create defaults", track))
        await uow.policies.create(track.id, "s-new", {})
        log.append(("policies.create defaults", await uow.policies.get(track.id)))
        media = await uow.media.create(track.id, {"status": "finished", "format": "mp3"})
        log.append(("media.create", media))
        await uow.media.add_transcoding(
            media.id, {"kind": "progressive", "storage_key": "a", "content_type": "audio/mpeg"}
        )
        await uow.media.add_transcoding(
            media.id, {"kind": "hls", "storage_key": "b", "content_type": "x", "duration_ms": 5}
        )
        log.append(("media.for_tracks", await uow.media.for_tracks([track.id, 1, track.id])))
        log.append(("media.transcodings_of", await uow.media.transcodings_of([media.id, 99])))
        likes = uow.social.track_likes
        log.append(("edge add", [await likes.add(3, 1), await likes.add(3, 1)]))
        log.append(("edge remove", [await likes.remove(1, 3), await likes.remove(1, 3)]))
        log.append(("edges after", await likes.to_target(1, None, 10)))
        comment = await uow.social.add_comment(2, 4, "hi", 10)
        log.append(("add_comment", comment))
        log.append(
            (
                "delete_comment",
                [await uow.social.delete_comment(1), await uow.social.delete_comment(1)],
            )
        )
        log.append(("comment ids after delete", (await uow.social.add_comment(1, 1, "x", None)).id))
        await uow.plays.record_play(2, 4, None, "FR")
        await uow.plays.record_play(2, None, None, None)
        await uow.plays.record_download(2, 4, None, "FR")
        log.append(("history", await uow.plays.history(4, None, 5)))
        c = uow.counters
        await c.tracks.add(1, likes=2, plays=1)
        await c.tracks.add(1, likes=-1, comments=0)
        await c.users.ensure(2)
        await c.users.ensure(2)
        await c.users.add(3, followers=1)
        await c.users.add(4, tracks=2, likes=3)
        log.append(
            (
                "counters",
                [
                    await c.track_counts([1, 2]),
                    await c.user_counts([2, 3, 2]),
                    await c.user_counts([4]),
                ],
            )
        )
    # a failed unit of work leaves nothing behind
    with pytest.raises(RuntimeError):
        async with db.write() as uow:
            await uow.social.follows.add(4, 1)
            await uow.counters.users.add(1, followers=1)
            raise RuntimeError("boom")
    async with db.read() as uow:
        log.append(
            (
                "rolled back",
                [await uow.social.follows.exists(4, 1), await uow.counters.user_counts([1])],
            )
        )
        log.append(
            (
                "committed",
                [await uow.users.by_permalink("eve"), await uow.counters.track_counts([1])],
            )
        )


async def playlists(db: Any, log: Log) -> None:
    await seed(db)
    async with db.write() as uow:
        repo = uow.playlists
        a = await repo.create(
            1, "s-a", {"title": "Alpha Mix", "permalink": "alpha", "tag_list": "deep"}
        )
        b = await repo.create(
            1,
            "s-b",
            {
                "title": "Beta",
                "permalink": "beta",
                "set_type": "album",
                "sharing": "private",
                "genre": "House",
            },
        )
        c = await repo.create(2, "s-c", {"title": "Gamma", "permalink": "alpha"})
        log.append(("create", [a, b, c]))
        log.append(("get_many", await repo.get_many([c.id, 99, a.id, c.id])))
        log.append(("lock", [await repo.lock(b.id), await repo.lock(99)]))
        log.append(("lock_with_entries missing", await repo.lock_with_entries(99)))
        log.append(
            (
                "by_permalink",
                [await repo.by_permalink(2, "alpha"), await repo.by_permalink(2, "beta")],
            )
        )
        log.append(
            (
                "permalinks_with_prefix",
                [
                    sorted(await repo.permalinks_with_prefix(1, "be")),
                    sorted(await repo.permalinks_with_prefix(2, "al")),
                    sorted(await repo.permalinks_with_prefix(2, "a_")),
                    sorted(await repo.permalinks_with_prefix(3, "")),
                ],
            )
        )
        log.append(("held empty", await repo.held(a.id)))
        log.append(("append", await repo.append(a.id, [1, 2, 3], after=0)))
        held = await repo.held(a.id)
        log.append(("append held", await repo.append(a.id, [1], after=3, held=held)))
        await repo.append(b.id, [3], after=0)
        log.append(("append nothing", await repo.append(b.id, [], after=1)))
        log.append(("held", [await repo.held(a.id), await repo.held(b.id)]))
        log.append(("lock_with_entries", [await repo.lock_with_entries(a.id)]))
        log.append(("lock_with_entries empty", [await repo.lock_with_entries(c.id)]))
        log.append(("entries_of", await repo.entries_of([b.id, a.id])))
        log.append(
            ("remove_track", [await repo.remove_track(a.id, 1), await repo.remove_track(a.id, 1)])
        )
        entries = await repo.entries_of([a.id])
        await repo.set_positions(a.id, {entries[0].id: 9, entries[1].id: 4})
        log.append(("set_positions", await repo.entries_of([a.id])))
        log.append(("held after reorder", await repo.held(a.id)))
        await repo.append(a.id, [5], after=9)
        log.append(("append after reorder", await repo.entries_of([a.id])))
        await repo.touch(a.id)
        log.append(("touch", await repo.get(a.id)))
        log.append(("update", await repo.update(a.id, {"title": "Alpha 2"})))
        log.append(("update no changes", await repo.update(a.id, {})))
        log.append(("update missing", await repo.update(99, {})))
        log.append(("by_user", await pages(lambda k, n: repo.by_user(1, k, n), 1)))
        log.append(("by_user albums", await repo.by_user(1, None, 5, "album")))
        for q in (None, "alpha", "HOUSE", "mix deep", "zzz"):
            log.append((f"search {q}", await repo.search(q, None, 5)))
        log.append(("containing_track 3", await repo.containing_track(3, None, 5)))
        log.append(("containing_track 3 albums", await repo.containing_track(3, None, 5, "album")))
        await uow.social.playlist_likes.add(2, b.id)
        await uow.counters.playlists.add(b.id, likes=1)
        log.append(("delete", [await repo.delete(b.id), await repo.delete(b.id)]))
        log.append(
            (
                "after delete",
                [
                    await repo.entries_of([b.id]),
                    await uow.social.playlist_likes.exists(2, b.id),
                    await uow.counters.playlist_counts([b.id]),
                ],
            )
        )


@pytest.mark.parametrize("scenario", [reads, writes, playlists], ids=lambda s: s.__name__)
async def test_fakes_match_sqlite(real_db: Database, scenario: Scenario) -> None:
    await run_both(real_db, scenario)


async def catalog_search(db: Any, log: Log) -> None:
    await seed(db)
    async with db.read() as uow:
        for text in ("nig", "night deep", "house", "t", "zzz"):
            for scope in (CatalogScope(), CatalogScope(owners=(1,), unblocked=True)):
                found = await pages(
                    lambda k, n, t=text, s=scope: uow.catalog.search(
                        TrackSearch(text=t), at(30), s, k, n
                    ),
                    2,
                )
                log.append((f"catalog.search {text} {scope}", found))


async def test_the_sqlite_catalogue_search_agrees_with_the_fake(real_db: Database) -> None:
    """Text searches page by id (the FTS5 order), the others by time: the same pages."""
    await run_both(real_db, catalog_search)
