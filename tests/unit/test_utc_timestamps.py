"""UTCDateTime's SQLite result processor: one call per value, the same values as parsing the
text and then making it UTC-aware."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.dialects import postgresql, sqlite

from app.foundation.db import UTCDateTime

TEXTS = [
    "2026-11-01 12:34:56.123456",  # (what SQLAlchemy stores)
    "2026-11-01 12:34:56",
    "2026-11-01T12:34:56+02:00",  # (text with an offset of its own: converted)
    "2026-11-01 12:34:56Z",
    "2026-11-01",
]


def _general(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


@pytest.mark.parametrize("text", TEXTS)
def test_sqlite_text_becomes_the_same_aware_utc_moment(text: str) -> None:
    process = UTCDateTime().result_processor(sqlite.dialect(), None)
    got = process(text)
    assert got == _general(text) and got.tzinfo is dt.UTC
    assert process(None) is None


def test_postgresql_moments_come_back_in_utc() -> None:
    process = UTCDateTime().result_processor(postgresql.asyncpg.dialect(), None)
    plus_two = dt.datetime(2026, 11, 1, 14, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    for moment in (plus_two, plus_two.astimezone(dt.UTC)):
        got = process(moment)
        assert got == plus_two and got.tzinfo is dt.UTC
