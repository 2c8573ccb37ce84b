"""The moments a public query takes (app/edge/public/params/moments.py): the documented pattern
admits exactly the real days, and every moment it or RFC 3339 admits is read into UTC."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from app.edge.public.params.moments import SOUNDCLOUD_TEXT, moment

YEARS = (1, 4, 100, 400, 1900, 1999, 2000, 2023, 2024, 9999)
"""Leap and common years, centuries among them (1, 100, 1900 are common; 4, 400, 2000 leap)."""


def _is_day(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def test_the_pattern_admits_exactly_the_real_days() -> None:
    pattern = re.compile(SOUNDCLOUD_TEXT)
    for year in YEARS:
        for month in range(1, 14):
            for day in range(0, 33):
                text = f"{year:04d}-{month:02d}-{day:02d}"
                assert bool(pattern.match(text)) == _is_day(year, month, day), text
    assert not pattern.match("0000-01-01") and pattern.match("")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2020-01-02", dt.datetime(2020, 1, 2, tzinfo=dt.UTC)),
        ("2020-01-02 03:04:05", dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=dt.UTC)),
        ("2020-01-02T03:04:05Z", dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=dt.UTC)),
        ("2020-01-02t03:04:05.5z", dt.datetime(2020, 1, 2, 3, 4, 5, 500000, tzinfo=dt.UTC)),
        ("2020-01-02T03:04:05+02:00", dt.datetime(2020, 1, 2, 1, 4, 5, tzinfo=dt.UTC)),
        ("2016-12-31T23:59:60Z", dt.datetime(2016, 12, 31, 23, 59, 59, tzinfo=dt.UTC)),
        ("0001-01-01T00:30:00+01:00", dt.datetime.min.replace(tzinfo=dt.UTC)),
        ("9999-12-31T23:30:00-01:00", dt.datetime.max.replace(tzinfo=dt.UTC)),
        ("", None),
    ],
)
def test_moments_are_read_into_utc(raw: str, expected: dt.datetime | None) -> None:
    assert moment(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["2021-02-29", "2020-01-02T03:04", "2020-01-02 3:04:05", " 2020-01-02", "20200102", "now"],
)
def test_anything_else_is_no_moment(raw: str) -> None:
    with pytest.raises(ValueError):
        moment(raw)


def test_a_leap_second_is_one_at_the_end_of_a_utc_day() -> None:
    assert moment("2016-12-31T20:59:60-03:00") == dt.datetime(
        2016, 12, 31, 23, 59, 59, tzinfo=dt.UTC
    )
    with pytest.raises(ValueError):
        moment("2016-12-31T12:00:60Z")
