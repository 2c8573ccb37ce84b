"""Input rules of the Creator gateway's reads: batch sizes, ISRC lists and date ranges."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from app.value_added.catalog import validation as catalog
from app.value_added.common.errors import InvalidArgument

MAX_BATCH = 200
MAX_DAYS = 366


def batch(field: str, values: Sequence[object]) -> None:
    """At most MAX_BATCH ids or codes in one request."""
    if len(values) > MAX_BATCH:
        raise InvalidArgument(
            f"{field} may name at most {MAX_BATCH} items; got {len(values)}",
            reason="too_many_ids",
            field=field,
        )


def isrc_codes(values: Sequence[str]) -> list[str]:
    """ISRC codes, upper-cased and each checked (at most MAX_BATCH)."""
    batch("isrc", values)
    return [catalog.isrc("isrc", code.strip().upper()) for code in values]


def set_type(value: str | None) -> str | None:
    """None (every kind) or one of the catalog's set types."""
    return None if value is None else catalog.one_of(catalog.SET_TYPES)("set_type", value)


def day_range(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, end+1 00:00) in UTC, or InvalidArgument for a reversed or long range."""
    if end < start:
        raise InvalidArgument(
            f"end ({end}) must not be before start ({start})", reason="invalid_range", field="end"
        )
    if (end - start).days + 1 > MAX_DAYS:
        raise InvalidArgument(
            f"the range may span at most {MAX_DAYS} days", reason="range_too_long", field="end"
        )
    first = dt.datetime.combine(start, dt.time(), dt.UTC)
    return first, dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), dt.UTC)


def time_range(since: dt.datetime | None, until: dt.datetime | None) -> None:
    """`until`, when both are given, must be after `since`."""
    if since is not None and until is not None and until <= since:
        raise InvalidArgument(
            f"until ({until.isoformat()}) must be after since ({since.isoformat()})",
            reason="invalid_range",
            field="until",
        )
