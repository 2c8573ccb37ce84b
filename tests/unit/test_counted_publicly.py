"""access.counted_publicly is track_visible for a viewer who lists (no owner, no secret token),
and sees_owner_counts is acting for the owner: the rows of the counts' visibility classes."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from app.value_added import access
from app.value_added.access import Viewer
from tests.unit.test_access_matrix import NOW, OWNER, TOKEN, make_policy

RELEASES = {"none": None, "past": NOW - dt.timedelta(days=1), "future": NOW + dt.timedelta(1)}
CASES = list(itertools.product(("public", "private", "bogus"), RELEASES, (False, True)))


@pytest.mark.parametrize(("sharing", "release", "down"), CASES)
def test_counted_publicly_is_what_a_listing_stranger_sees(
    sharing: str, release: str, down: bool
) -> None:
    policy = make_policy(
        sharing=sharing,
        release_at=RELEASES[release],
        taken_down_at=NOW - dt.timedelta(hours=1) if down else None,
    )
    counted = access.counted_publicly(policy, NOW)
    for viewer in (
        Viewer.anonymous(app_id=1),
        Viewer(user_id=OWNER + 1, app_id=1, territory="DE", plan="premium"),
    ):
        assert counted.public == access.track_visible(viewer, OWNER, policy, NOW)
    scheduled = sharing == "public" and not down and release == "future"
    assert counted.public_at == (RELEASES["future"] if scheduled else None)
    if scheduled:  # at its release it counts for everyone, by itself
        assert access.counted_publicly(policy, RELEASES["future"]).public
    # a secret token makes a private track visible, never counted: lists carry no token
    if sharing == "private" and not down and release != "future":
        stranger = Viewer.anonymous(app_id=1)
        assert access.track_visible(stranger, OWNER, policy, NOW, TOKEN) and not counted.public


def test_owner_counts_go_to_whoever_acts_for_the_owner() -> None:
    assert access.sees_owner_counts(Viewer(OWNER, None, None, "free"), OWNER)
    assert access.sees_owner_counts(Viewer(None, 7, None, "free", frozenset({OWNER})), OWNER)
    assert not access.sees_owner_counts(Viewer(OWNER + 1, None, None, "free"), OWNER)
    assert not access.sees_owner_counts(Viewer.anonymous(app_id=7), OWNER)
