"""Tracks VAS over real databases: visibility, masks, batching, commands and pagination."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import pytest

from app.foundation.catalog import search
from app.foundation.db import count_statements, utcnow
from app.value_added.access import Viewer
from app.value_added.common.errors import (
    Conflict,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    Unauthenticated,
)
from app.value_added.common.fieldmask import FieldMask
from app.value_added.registry import Services, build_services
from app.value_added.tracks import TrackQuery
from tests.factories import make_track, make_user, secret_of, tampered

ALL = FieldMask.all()


@pytest.fixture
async def services(database_url: str) -> AsyncIterator[Services]:
    s = build_services(database_url, "test-secret-key-0123456789")
    yield s
    await s.close()


def viewer(user_id: int | None, territory: str | None = "DE", plan: str = "free") -> Viewer:
    return Viewer(user_id=user_id, app_id=None, territory=territory, plan=plan)


async def test_private_track_is_invisible_without_token_and_visible_with_it(
    services: Services,
) -> None:
    db = services.deps.db
    owner, other = await make_user(db), await make_user(db)
    track = await make_track(db, owner, sharing="private")
    token = await secret_of(db, track)
    with pytest.raises(NotFound) as missing:
        await services.tracks.get(viewer(other), track, ALL)
    with pytest.raises(NotFound) as hidden:
        await services.tracks.get(viewer(other), 999_999, ALL)
    assert str(missing.value) == str(hidden.value)
    seen = await services.tracks.get(viewer(other), track, ALL, secret_token=token)
    assert seen.id == track
    assert seen.policy and seen.policy.secret_token is None  # type: ignore[union-attr]
    mine = await services.tracks.get(viewer(owner), track, ALL)
    assert mine.policy.secret_token == token  # type: ignore[union-attr]


async def test_get_many_keeps_request_order_and_drops_hidden(services: Services) -> None:
    db = services.deps.db
    owner = await make_user(db)
    a = await make_track(db, owner)
    b = await make_track(db, owner, sharing="private")
    c = await make_track(db, owner, release_at=utcnow() + dt.timedelta(days=3))
    d = await make_track(db, owner)
    found = await services.tracks.get_many(viewer(None), [d, b, a, c, 12345], ALL)
    assert [t.id for t in found] == [d, a]


async def test_access_levels_from_policy(services: Services) -> None:
    db = services.deps.db
    owner = await make_user(db)
    geo = await make_track(db, owner, territories=["US"])
    premium = await make_track(db, owner, monetization="premium")
    anon = viewer(None, territory="DE")
    assert (await services.tracks.get(anon, geo, ALL)).policy.access == "blocked"  # type: ignore[union-attr]
    assert (await services.tracks.get(anon, premium, ALL)).policy.access == "preview"  # type: ignore[union-attr]
    rich = viewer(await make_user(db, plan="premium"), plan="premium")
    assert (await services.tracks.get(rich, premium, ALL)).policy.access == "playable"  # type: ignore[union-attr]
    nowhere = viewer(None, territory=None)
    assert (await services.tracks.get(nowhere, geo, ALL)).policy.access == "blocked"  # type: ignore[union-attr]


async def test_like_is_idempotent_and_counted(services: Services) -> None:
    db = services.deps.db
    owner, fan = await make_user(db), await make_user(db)
    track = await make_track(db, owner)
    first = await services.tracks.like(viewer(fan), track)
    second = await services.tracks.like(viewer(fan), track)
    assert (first.count, second.count) == (1, 1)
    got = await services.tracks.get(viewer(fan), track, FieldMask.parse("stats,viewer"))
    assert got.stats.likes == 1 and got.viewer.liked  # type: ignore[union-attr]
    fan_profile = await services.users.get(viewer(fan), fan, FieldMask.parse("stats"))
    assert fan_profile.stats.likes == 1  # type: ignore[union-attr]
    assert (await services.tracks.unlike(viewer(fan), track)).count == 0
    assert (await services.tracks.unlike(viewer(fan), track)).count == 0
    with pytest.raises(Unauthenticated):
        await services.tracks.like(viewer(None), track)


async def test_counts_a_write_returned_are_cached_exact(services: Services) -> None:
    """Concurrent likes and comments (group-committed) keep the counts their statements
    returned for the record cache: each cached value equals a fresh read — including a
    repeated like (counted once) and an author with a scheduled release pending, whose
    counts are not the returned row alone (they are left for a read, releases and all)."""
    db = services.deps.db
    owner = await make_user(db)
    await make_track(db, owner, release_at=utcnow() + dt.timedelta(days=2))
    track = await make_track(db, owner)
    fans = [await make_user(db) for _ in range(4)]
    db.cache.clear()
    likes = [services.tracks.like(viewer(f), track) for f in [*fans, fans[0]]]
    comments = [services.tracks.comment(viewer(u), track, "hi") for u in [*fans, owner]]
    await asyncio.gather(*likes, *comments)
    users = [owner, *fans]
    cached = (
        db.cache.get_many("counts:track_counters", [track]),
        db.cache.get_many("counts:user_counters", users),
    )
    assert track in cached[0] and set(fans) <= set(cached[1])  # (kept: no read since)
    db.cache.clear()
    async with db.read() as uow:
        fresh = (
            dict(zip([track], await uow.counters.track_counts([track]), strict=True)),
            dict(zip(users, await uow.counters.user_counts(users), strict=True)),
        )
    assert fresh[0][track].likes == 4 and fresh[0][track].comments == 5
    assert fresh[1][owner].releases  # (the scheduled track's release is pending)
    for kept, read in zip(cached, fresh, strict=True):
        assert {k: read[k] for k in kept} == kept


async def test_commands_on_hidden_tracks_fail_like_missing(services: Services) -> None:
    db = services.deps.db
    owner, other = await make_user(db), await make_user(db)
    hidden = await make_track(db, owner, sharing="private")
    v = viewer(other)
    for command in (
        lambda t: services.tracks.like(v, t),
        lambda t: services.tracks.repost(v, t),
        lambda t: services.tracks.comment(v, t, "hi", 10),
        lambda t: services.tracks.record_play(v, t),
        lambda t: services.tracks.download(v, t),
    ):
        with pytest.raises(NotFound) as on_hidden:
            await command(hidden)
        with pytest.raises(NotFound) as on_missing:
            await command(987_654)
        assert (on_hidden.value.reason, on_hidden.value.message) == (
            on_missing.value.reason,
            on_missing.value.message,
        )


async def test_comment_timestamp_must_fall_within_the_track(services: Services) -> None:
    db = services.deps.db
    owner, fan = await make_user(db), await make_user(db)
    track = await make_track(db, owner, duration_ms=60_000)
    with pytest.raises(Conflict) as err:
        await services.tracks.comment(viewer(fan), track, "late", 61_000)
    assert err.value.field == "timestamp"
    with pytest.raises(InvalidArgument):
        await services.tracks.comment(viewer(fan), track, "   ", 1_000)
    c = await services.tracks.comment(viewer(fan), track, "nice drop", 30_000)
    page = await services.tracks.comments(viewer(None), track, None, None)
    assert [x.id for x in page.items] == [c.id]
    closed = await make_track(db, owner, commentable=False)
    with pytest.raises(PermissionDenied):
        await services.tracks.comment(viewer(fan), closed, "no", 1)


async def test_download_grant_only_when_downloadable(services: Services) -> None:
    db = services.deps.db
    owner, fan = await make_user(db), await make_user(db)
    ok = await make_track(db, owner, downloadable=True)
    closed = await make_track(db, owner, downloadable=False)
    grant = await services.tracks.download(viewer(fan), ok)
    assert (await services.tracks.redeem_download(grant.token)).claims.track_id == ok
    with pytest.raises(PermissionDenied):
        await services.tracks.redeem_download(tampered(grant.token))
    with pytest.raises(PermissionDenied):
        await services.tracks.download(viewer(fan), closed)
    got = await services.tracks.get(viewer(fan), ok, FieldMask.parse("stats"))
    assert got.stats.downloads == 1  # type: ignore[union-attr]


async def test_pagination_is_keyset_and_cursors_are_signed(services: Services) -> None:
    db = services.deps.db
    owner = await make_user(db)
    ids = [await make_track(db, owner) for _ in range(7)]
    hidden = await make_track(db, owner, sharing="private")
    seen: list[int] = []
    cursor = None
    while True:
        page = await services.tracks.by_user(viewer(None), owner, ALL, cursor, 3)
        seen.extend(t.id for t in page.items)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert sorted(seen) == sorted(ids) and hidden not in seen
    assert len(seen) == len(set(seen))
    first = await services.tracks.by_user(viewer(None), owner, ALL, None, 3)
    assert first.next_cursor
    with pytest.raises(InvalidArgument) as err:
        await services.tracks.by_user(viewer(None), owner, ALL, tampered(first.next_cursor), 3)
    assert err.value.reason == "invalid_cursor"
    with pytest.raises(InvalidArgument):
        await services.tracks.by_user(viewer(None), owner, ALL, None, 201)


async def test_full_text_search_and_filters(services: Services) -> None:
    db = services.deps.db
    owner = await make_user(db)
    hit = await make_track(db, owner, title="Midnight Techno Ritual", bpm=128.0)
    slow = await make_track(db, owner, title="Midnight Ballad", bpm=70.0, genre="pop")
    await make_track(db, owner, title="Sunrise", tag_list="morning chill")
    hidden = await make_track(db, owner, title="Midnight Secret", sharing="private")
    found = await services.tracks.search(viewer(None), TrackQuery(text="midnight"), ALL, None, 50)
    assert {t.id for t in found.items} == {hit, slow}
    assert hidden not in {t.id for t in found.items}
    fast = await services.tracks.search(
        viewer(None), TrackQuery(text="midnight", bpm_from=100), ALL, None, 50
    )
    assert [t.id for t in fast.items] == [hit]
    by_genre = await services.tracks.search(
        viewer(None), TrackQuery(genres=("pop",)), ALL, None, 50
    )
    assert [t.id for t in by_genre.items] == [slow]
    tagged = await services.tracks.search(viewer(None), TrackQuery(tags=("chill",)), ALL, None, 50)
    assert len(tagged.items) == 1
    prefix = await services.tracks.search(viewer(None), TrackQuery(text="techn"), ALL, None, 50)
    assert [t.id for t in prefix.items] == [hit]


async def test_text_search_pages_newest_id_first_and_never_shows_hidden_tracks(
    services: Services,
) -> None:
    """A text search reads the full-text index in id order and stops at the page: every page
    holds only tracks the viewer may see (hidden ones matching the words are skipped, not
    counted), and paging by cursor returns each visible match once, newest id first."""
    db = services.deps.db
    owner, other = await make_user(db), await make_user(db)
    later = utcnow() + dt.timedelta(days=3)
    visible: list[int] = []
    for i in range(7):
        visible.append(await make_track(db, owner, title=f"Nebula Drift {i}"))
        await make_track(db, owner, title=f"Nebula Private {i}", sharing="private")
        await make_track(db, owner, title=f"Nebula Soon {i}", release_at=later)
        await make_track(db, owner, title=f"Nebula Gone {i}", taken_down=True)
        await make_track(db, owner, title=f"Nebula Elsewhere {i}", territories=["FR"])
    await make_track(db, owner, title="Unrelated")
    ids: list[int] = []
    cursor: str | None = None
    cursors: list[str] = []
    for _ in range(10):
        page = await services.tracks.search(
            viewer(other), TrackQuery(text="nebula"), ALL, cursor, 3
        )
        assert 0 < len(page.items) <= 3
        ids += [t.id for t in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
        cursors.append(cursor)
    assert ids == sorted(visible, reverse=True)
    assert len(cursors) == 2
    with pytest.raises(InvalidArgument) as crossed:  # (a text cursor is not a listing's)
        await services.tracks.search(viewer(other), TrackQuery(), ALL, cursors[0], 3)
    assert crossed.value.reason == "invalid_cursor"


@pytest.mark.parametrize("window", [3, search.WINDOW])
async def test_text_search_pages_across_windows_return_each_visible_match_once(
    services: Services, monkeypatch: pytest.MonkeyPatch, window: int
) -> None:
    """PostgreSQL walks the `WINDOW` newest ids below the cursor first, then reads the rest
    below that window (walked, or through the GIN index when the window held few matches).
    With a window of 3 ids every page crosses windows by each route; paging to the end still
    returns each visible match once, newest first, whatever the page size (SQLite reads its
    FTS5 index in one statement: the same pages)."""
    monkeypatch.setattr(search, "WINDOW", window)
    monkeypatch.setattr(search, "WALK_BUDGET", 4 * window)
    db = services.deps.db
    owner, other = await make_user(db), await make_user(db)
    common: list[int] = []
    tagged: list[int] = []
    sparse = [await make_track(db, owner, title="Zephyr Old")]
    for i in range(14):
        common.append(await make_track(db, owner, title=f"Quasar {i}", tag_list="pulse"))
        await make_track(db, owner, title=f"Quasar Hidden {i}", sharing="private")
        tagged.append(await make_track(db, owner, title=f"Filler {i}", tag_list="pulse"))
        if i == 6:
            sparse.append(await make_track(db, owner, title="Zephyr Middle"))
    expected = {
        "quasar": common,
        "quasar pulse": common,
        "pulse": common + tagged,
        "zephyr": sparse,
        "zeph": sparse,
        "nothing": [],
    }
    for query, matches in expected.items():
        for limit in (3, 10, 50):
            services.deps.db.cache.clear()
            ids: list[int] = []
            cursor: str | None = None
            for _ in range(30):
                page = await services.tracks.search(
                    viewer(other), TrackQuery(text=query), ALL, cursor, limit
                )
                assert len(page.items) <= limit
                ids += [t.id for t in page.items]
                cursor = page.next_cursor
                if cursor is None:
                    break
            assert ids == sorted(matches, reverse=True), (query, limit)


def test_walking_pays_only_for_a_window_dense_enough() -> None:
    assert search.walk_pays(found=25, need=26)  # (about a window more: walked)
    assert not search.walk_pays(found=0, need=51)  # (none in the window: the GIN index)
    assert not search.walk_pays(found=3, need=48)  # (~16 windows more: the GIN index)


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("p", True),  # (one character: the shortest indexed prefix)
        ("photosyn", True),
        ("photosynthes", True),  # (longer than any indexed prefix: matched all the same)
        ("PHOTOSYNTHESIS", True),
        ("photosynthesiss", False),
        ("synthesis", False),  # (words match token starts, not their insides)
        ("photo lumin", True),
        ("photo lumix", False),  # (every word must match)
        ("eleg", True),  # (tags are searched too)
    ],
)
async def test_text_search_matches_each_word_as_a_token_prefix(
    services: Services, query: str, found: bool
) -> None:
    db = services.deps.db
    owner = await make_user(db)
    track = await make_track(db, owner, title="Photosynthesis Luminance", tag_list="elegie")
    page = await services.tracks.search(viewer(None), TrackQuery(text=query), ALL, None, 50)
    assert ([track] if found else []) == [t.id for t in page.items]


async def test_unknown_mask_path_is_invalid_argument_naming_it(services: Services) -> None:
    db = services.deps.db
    track = await make_track(db, await make_user(db))
    with pytest.raises(InvalidArgument) as err:
        await services.tracks.get(viewer(None), track, FieldMask.parse("title,stats.bogus"))
    assert err.value.field == "stats.bogus" and "stats.bogus" in err.value.message


async def test_mask_skips_parts_nobody_asked_for(services: Services) -> None:
    db = services.deps.db
    owner = await make_user(db)
    track = await make_track(db, owner)
    v = viewer(owner)
    services.deps.db.cache.clear()
    with count_statements() as lean:
        got = await services.tracks.get(v, track, FieldMask.parse("title"))
    services.deps.db.cache.clear()
    with count_statements() as full:
        await services.tracks.get(v, track, ALL)
    with count_statements() as warm:
        await services.tracks.get(v, track, ALL)
    assert got.title and got.stats is msgspec_unset() and got.media is msgspec_unset()
    # cold: the track (its policy, counters and media come along in the same statement,
    # foundation.catalog.companions); full adds the viewer's likes and reposts, in one
    # statement (no media rows exist, so the transcodings read is skipped); warm: everything
    # from the record cache
    assert lean[0] == 1
    assert full[0] == 2
    assert warm[0] == 0


@pytest.mark.parametrize("n", [1, 50, 500])
async def test_batch_cost_does_not_grow_with_n(services: Services, n: int) -> None:
    db = services.deps.db
    owner = await make_user(db)
    async with db.write() as uow:
        base = await uow.tracks.max_id()
    ids = (
        [await make_track(db, owner) for _ in range(n)]
        if n < 500
        else await _bulk(services, owner, n)
    )
    services.deps.db.cache.clear()
    with count_statements() as stmts:
        found = await services.tracks.get_many(viewer(owner), ids, ALL)
    with count_statements() as warm:
        await services.tracks.get_many(viewer(owner), ids, ALL)
    assert len(found) == n and base >= 0
    # the tracks with their policies, counts, media and owners (foundation.catalog.companions),
    # then the viewer's likes and reposts in one statement (was 6: tracks, policies, counts,
    # media on their own, likes, reposts)
    assert (stmts[0], warm[0]) == (2, 0)


async def _bulk(services: Services, owner: int, n: int) -> list[int]:
    db = services.deps.db
    now = utcnow()
    async with db.write() as uow:
        start = await uow.tracks.max_id() + 1
        ids = list(range(start, start + n))
        await uow.tracks.create_many(
            [
                {
                    "id": i,
                    "user_id": owner,
                    "title": f"Bulk {i}",
                    "permalink": f"bulk-{i}",
                    "created_at": now,
                    "updated_at": now,
                }
                for i in ids
            ]
        )
        await uow.policies.create_many(
            [{"track_id": i, "secret_token": f"s-{i}", "updated_at": now} for i in ids]
        )
    return ids


def msgspec_unset() -> object:
    import msgspec

    return msgspec.UNSET


async def test_a_known_viewers_track_read_brings_whether_the_owner_follows_them(
    services: Services,
) -> None:
    """One statement for the track of a viewer whose sets are cached: it also reads whether
    the owner follows the viewer (foundation.catalog.companions), so the owner's card reads
    nothing; a follow made afterwards is seen (the edge kept is the one a follow invalidates)."""
    db = services.deps.db
    fan, first, follower, stranger = [await make_user(db) for _ in range(4)]
    await services.users.follow(viewer(follower), fan)
    tracks = {u: await make_track(db, u) for u in (first, follower, stranger)}
    await services.tracks.get(viewer(fan), tracks[first], ALL)  # (the fan's sets now cached)
    card = FieldMask(["username", "viewer"])
    for owner, follows in ((follower, True), (stranger, False)):
        with count_statements() as read:
            got = await services.tracks.get(viewer(fan), tracks[owner], ALL)
        with count_statements() as carded:
            (user,) = await services.users.get_many(viewer(fan), [owner], card)
        assert got.user_id == owner and user.viewer.followed_by is follows  # type: ignore[union-attr]
        assert (read[0], carded[0]) == (1, 0)
    await services.users.follow(viewer(stranger), fan)
    (user,) = await services.users.get_many(viewer(fan), [stranger], card)
    assert user.viewer.followed_by is True  # type: ignore[union-attr]
