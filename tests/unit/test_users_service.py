"""Users VAS over in-memory fakes: profiles per mask, follows with counters, social lists."""

from __future__ import annotations

import pytest
from msgspec import UNSET

from app.foundation.users.records import NewUser
from app.value_added.common.errors import (
    InvalidArgument,
    NotFound,
    PermissionDenied,
    Unauthenticated,
)
from app.value_added.common.fieldmask import FieldMask
from tests.factories import make_user
from tests.unit.fakes.harness import Harness, build_harness, viewer

ALL = FieldMask.all()


@pytest.fixture
def h() -> Harness:
    return build_harness()


async def test_get_many_in_request_order_with_full_name(h: Harness) -> None:
    async with h.db.write() as uow:
        ada = await uow.users.create(
            NewUser(username="ada", permalink="ada", first_name="Ada", last_name="Lovelace")
        )
    other = await make_user(h.db)
    got = await h.users.get_many(viewer(None), [other, 404, ada.id], ALL)
    assert [u.id for u in got] == [other, ada.id]
    assert got[1].full_name == "Ada Lovelace"
    assert (await h.users.resolve(viewer(None), "ada", ALL)).id == ada.id
    with pytest.raises(NotFound):
        await h.users.get(viewer(None), 404, ALL)


async def test_follow_is_idempotent_and_counted(h: Harness) -> None:
    me, star = await make_user(h.db), await make_user(h.db)
    assert (await h.users.follow(viewer(me), star)).followers == 1
    assert (await h.users.follow(viewer(me), star)).followers == 1
    mine = await h.users.get(viewer(me), star, FieldMask(["viewer"]))
    assert mine.viewer is not UNSET and mine.viewer.following
    got = await h.users.get(viewer(star), me, ALL)
    assert got.viewer is not UNSET and (got.viewer.following, got.viewer.followed_by) == (
        False,
        True,
    )
    assert got.stats is not UNSET and got.stats.followings == 1
    assert (await h.users.unfollow(viewer(me), star)).followers == 0
    assert (await h.users.unfollow(viewer(me), star)).followers == 0
    with pytest.raises(PermissionDenied) as err:
        await h.users.follow(viewer(me), me)
    assert err.value.reason == "self_follow"
    with pytest.raises(Unauthenticated):
        await h.users.follow(viewer(None), star)
    with pytest.raises(NotFound):
        await h.users.follow(viewer(me), 404)


async def test_mask_skips_counts_and_viewer_reads(h: Harness) -> None:
    me, other = await make_user(h.db), await make_user(h.db)
    h.db.calls.clear()
    slim = await h.users.get(viewer(me), other, FieldMask(["username"]))
    assert slim.username is not UNSET and slim.stats is UNSET and slim.viewer is UNSET
    reads = ("which", "sources_among", "both_ways")
    for call in ("counters.user_counts", *(f"social.follows.{r}" for r in reads)):
        assert h.db.calls[call] == 0, call
    h.db.calls.clear()
    await h.users.get_many(viewer(me), [me, other], ALL)
    assert h.db.calls["counters.user_counts"] == 1 and h.db.calls["social.follows.both_ways"] == 1


async def test_followers_pages_with_signed_cursors(h: Harness) -> None:
    star = await make_user(h.db)
    fans = [await make_user(h.db) for _ in range(5)]
    for fan in fans:
        await h.users.follow(viewer(fan), star)
    seen, cursor = [], None
    while True:
        page = await h.users.followers(viewer(None), star, FieldMask(["id"]), cursor, 2)
        seen += [u.id for u in page.items]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == list(reversed(fans))  # newest follower first
    first = await h.users.followers(viewer(None), star, ALL, None, 2)
    assert first.next_cursor
    with pytest.raises(InvalidArgument):
        await h.users.followers(viewer(None), star, ALL, first.next_cursor + "x", 2)
    with pytest.raises(InvalidArgument):
        await h.users.followings(viewer(None), star, ALL, first.next_cursor, 2)
    assert [
        u.id for u in (await h.users.followings(viewer(None), fans[0], ALL, None, 9)).items
    ] == [star]
    with pytest.raises(NotFound):
        await h.users.followers(viewer(None), 404, ALL, None, 2)
