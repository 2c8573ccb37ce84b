"""Counts at a moment: the scheduled releases that have passed applied, the next one noted."""

from __future__ import annotations

import datetime as dt

from app.caching.provenance import tracking
from app.foundation.counters.records import Release, UserCounts, as_of

NOW = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)


def test_passed_releases_are_added_per_counter_and_the_next_one_bounds_validity() -> None:
    hour = dt.timedelta(hours=1)
    counts = UserCounts(
        user_id=7,
        public_tracks=2,
        tracks=5,
        releases=(
            Release(NOW - hour, "public_tracks", 1),
            Release((NOW - 2 * hour).replace(tzinfo=None), "public_tracks", 2),  # (naive: UTC)
            Release(NOW, "tracks", -1),  # (due at its very moment)
            Release(NOW + 3 * hour, "public_tracks", 5),
            Release(NOW + hour, "followers", 4),
        ),
    )
    with tracking() as provenance:
        current = as_of(counts, NOW)
    assert current == UserCounts(user_id=7, public_tracks=5, tracks=4)
    assert provenance.valid_until == NOW + hour


def test_counts_without_releases_are_returned_as_they_are() -> None:
    counts = UserCounts(user_id=3, followers=9)
    with tracking() as provenance:
        assert as_of(counts, NOW) is counts
    assert provenance.valid_until is None
