"""Tracks VAS over in-memory fakes: visibility, masks, commands, grants and cursors."""

from __future__ import annotations

import datetime as dt

import pytest
from msgspec import UNSET

from app.value_added.common.errors import (
    Conflict,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    Unauthenticated,
)
from app.value_added.common.fieldmask import FieldMask
from tests.factories import make_track, make_user, secret_of, tampered
from tests.unit.fakes.harness import NOW, Harness, build_harness, viewer

ALL = FieldMask.all()
DAY = dt.timedelta(days=1)


@pytest.fixture
def h() -> Harness:
    return build_harness()


async def test_visibility_private_unreleased_taken_down(h: Harness) -> None:
    owner, other = await make_user(h.db), await make_user(h.db)
    db = h.db  # the factories write through the same repository methods as the real ones
    public = await make_track(db, owner)
    private = await make_track(db, owner, sharing="private")
    later = await make_track(db, owner, release_at=NOW + DAY)
    released = await make_track(db, owner, release_at=NOW - DAY)
    down = await make_track(db, owner, taken_down=True)
    ids = [public, private, later, released, down]
    seen = await h.tracks.get_many(viewer(other), ids, ALL)
    assert [t.id for t in seen] == [public, released]
    assert [t.id for t in await h.tracks.get_many(viewer(owner), ids, ALL)] == ids
    for hidden in (private, later, down):
        with pytest.raises(NotFound):
            await h.tracks.get(viewer(other), hidden, ALL)
    token = await secret_of(db, private)
    assert (await h.tracks.get(viewer(other), private, ALL, token)).id == private
    with pytest.raises(NotFound):
        await h.tracks.get(viewer(other), private, ALL, "s-wrong")
    with pytest.raises(NotFound):
        await h.tracks.get(viewer(other), 999, ALL)


async def test_territories_and_premium_decide_access(h: Harness) -> None:
    owner = await make_user(h.db)
    fr_only = await make_track(h.db, owner, territories=["FR"])
    premium = await make_track(h.db, owner, monetization="premium")
    me = await make_user(h.db)

    async def level(track: int, **kw: object) -> str:
        got = await h.tracks.get(viewer(me, **kw), track, FieldMask(["policy"]))
        assert got.policy is not UNSET
        return got.policy.access

    assert await level(fr_only, territory="DE") == "blocked"
    assert await level(fr_only, territory=None) == "blocked"  # unknown territory fails closed
    assert await level(fr_only, territory="FR") == "playable"
    assert await level(premium, plan="free") == "preview"
    assert await level(premium, plan="premium") == "playable"
    with pytest.raises(PermissionDenied):
        await h.tracks.record_play(viewer(me), fr_only)


async def test_get_many_keeps_request_order_and_drops_missing(h: Harness) -> None:
    owner = await make_user(h.db)
    a, b, c = [await make_track(h.db, owner) for _ in range(3)]
    got = await h.tracks.get_many(viewer(None), [c, 404, a, c, b], FieldMask(["title"]))
    assert [t.id for t in got] == [c, a, b]


async def test_field_mask_skips_parts_nobody_asked_for(h: Harness) -> None:
    owner = await make_user(h.db)
    ids = [await make_track(h.db, owner) for _ in range(3)]
    me = viewer(await make_user(h.db))
    optional = ["counters.track_counts", "media.for_tracks", "social.track_likes.which"]

    h.db.calls.clear()
    slim = await h.tracks.get_many(me, ids, FieldMask(["title"]))
    assert all(h.db.calls[c] == 0 for c in optional)
    assert slim[0].title is not UNSET
    assert (slim[0].stats, slim[0].media, slim[0].viewer, slim[0].genre) == (UNSET,) * 4

    h.db.calls.clear()
    with_stats = await h.tracks.get_many(me, ids, FieldMask(["stats.likes"]))
    assert h.db.calls["counters.track_counts"] == 1
    assert h.db.calls["media.for_tracks"] == h.db.calls["social.track_likes.which"] == 0
    assert with_stats[0].stats is not UNSET and with_stats[0].title is UNSET

    h.db.calls.clear()
    full = await h.tracks.get_many(me, ids, ALL)
    assert all(h.db.calls[c] == 1 for c in optional)  # one batched read each, not one per track
    assert full[0].media is not UNSET and full[0].media.status == "processing"
    with pytest.raises(InvalidArgument) as err:
        await h.tracks.get_many(me, ids, FieldMask(["stats.nope"]))
    assert err.value.field == "stats.nope"


async def test_like_and_repost_are_idempotent_and_counted(h: Harness) -> None:
    owner, fan = await make_user(h.db), await make_user(h.db)
    track = await make_track(h.db, owner)
    me = viewer(fan)
    assert (await h.tracks.like(me, track)).count == 1
    assert (await h.tracks.like(me, track)).count == 1
    assert (await h.tracks.repost(me, track)).count == 1
    got = await h.tracks.get(me, track, FieldMask(["stats", "viewer"]))
    assert got.viewer is not UNSET and got.viewer.liked and got.viewer.reposted
    assert got.stats is not UNSET and (got.stats.likes, got.stats.reposts) == (1, 1)
    async with h.db.read() as uow:
        assert (await uow.counters.user_counts([fan]))[0].likes == 1
    assert (await h.tracks.unlike(me, track)).count == 0
    assert (await h.tracks.unlike(me, track)).count == 0
    async with h.db.read() as uow:
        assert (await uow.counters.user_counts([fan]))[0].likes == 0
    with pytest.raises(Unauthenticated):
        await h.tracks.like(viewer(None), track)
    hidden = await make_track(h.db, owner, sharing="private")
    with pytest.raises(NotFound):
        await h.tracks.like(me, hidden)


async def test_comment_validation(h: Harness) -> None:
    owner, fan = await make_user(h.db), await make_user(h.db)
    track = await make_track(h.db, owner, duration_ms=60_000)
    closed = await make_track(h.db, owner, commentable=False)
    me = viewer(fan)
    for body, ts, reason in [
        ("   ", None, "empty"),
        ("x" * 10_001, None, "too_long"),
        ("ok", -1, "timestamp_out_of_range"),
        ("ok", 2**31, "timestamp_out_of_range"),
    ]:
        with pytest.raises(InvalidArgument) as err:
            await h.tracks.comment(me, track, body, ts)
        assert err.value.reason == reason
    with pytest.raises(Conflict) as beyond:  # within bounds, beyond this track's end
        await h.tracks.comment(me, track, "ok", 60_001)
    assert beyond.value.reason == "timestamp_out_of_range"
    with pytest.raises(PermissionDenied):
        await h.tracks.comment(me, closed, "hi")
    with pytest.raises(Unauthenticated):
        await h.tracks.comment(viewer(None), track, "hi")
    made = await h.tracks.comment(me, track, "  nice drop  ", 60_000)
    assert (made.body, made.timestamp_ms, made.user_id) == ("nice drop", 60_000, fan)
    page = await h.tracks.comments(viewer(None), track, None, None)
    assert [c.id for c in page.items] == [made.id]
    async with h.db.read() as uow:
        assert (await uow.counters.track_counts([track, closed]))[0].comments == 1
        assert (await uow.counters.track_counts([closed]))[0].comments == 0
    await h.tracks.delete_comment(viewer(owner), made.id)  # the track owner may delete it
    assert (await h.tracks.comments(viewer(None), track, None, None)).items == []


async def test_download_grants(h: Harness) -> None:
    owner, fan = await make_user(h.db), await make_user(h.db)
    yes = await make_track(h.db, owner, downloadable=True)
    no = await make_track(h.db, owner, downloadable=False)
    grant = await h.tracks.download(viewer(fan), yes)
    assert grant.track_id == yes and grant.expires_at == NOW + dt.timedelta(minutes=5)
    assert (await h.tracks.redeem_download(grant.token)).claims.track_id == yes
    async with h.db.read() as uow:
        assert (await uow.counters.track_counts([yes]))[0].downloads == 1
    with pytest.raises(PermissionDenied):
        await h.tracks.download(viewer(fan), no)
    assert (await h.tracks.download(viewer(owner), no)).track_id == no  # owners always may
    with pytest.raises(PermissionDenied):
        await h.tracks.redeem_download(tampered(grant.token))


async def test_pages_follow_signed_cursors_and_skip_hidden(h: Harness) -> None:
    owner = await make_user(h.db)
    made = []
    for i in range(7):
        sharing = "private" if i in (2, 5) else "public"
        made.append(await make_track(h.db, owner, sharing=sharing))
    public_newest_first = [t for i, t in reversed(list(enumerate(made))) if i not in (2, 5)]
    seen, cursor, pages = [], None, 0
    while True:
        page = await h.tracks.by_user(viewer(None), owner, FieldMask(["title"]), cursor, 2)
        seen += [t.id for t in page.items]
        pages += 1
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == public_newest_first and pages >= 3
    first = await h.tracks.by_user(viewer(None), owner, ALL, None, 2)
    assert first.next_cursor is not None
    bad = tampered(first.next_cursor)
    with pytest.raises(InvalidArgument) as err:
        await h.tracks.by_user(viewer(None), owner, ALL, bad, 2)
    assert err.value.field == "cursor"
    with pytest.raises(InvalidArgument):  # a cursor of another listing is not accepted
        await h.tracks.by_user(viewer(None), owner + 1, ALL, first.next_cursor, 2)
    with pytest.raises(InvalidArgument):
        await h.tracks.by_user(viewer(None), owner, ALL, None, 201)
