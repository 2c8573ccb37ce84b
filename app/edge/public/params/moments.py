"""Moments in a query (`created_at[from]`): RFC 3339 date-times and SoundCloud's own
`yyyy-mm-dd hh:mm:ss` (or `yyyy-mm-dd`), read into UTC; the patterns are the rule the document
states, so what it admits is what is read."""

from __future__ import annotations

import datetime as dt
import re

_YEAR = "(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})"
_LEAP_YEAR = "([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)"
DAY = (
    rf"({_YEAR}-((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)"
    rf"|(0[13578]|1[02])-31)|{_LEAP_YEAR}-02-29)"
)
"""A real yyyy-mm-dd day of the years 1 to 9999 (29 February of leap years only)."""
CLOCK = "([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
SOUNDCLOUD_TEXT = rf"^({DAY}( {CLOCK})?)?$"
"""SoundCloud's `yyyy-mm-dd hh:mm:ss` (or the day alone), in UTC; empty: no bound."""
_RFC3339 = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})"
)
"""The shape of an RFC 3339 date-time (`format: date-time`); its values are checked by parsing."""
_SOUNDCLOUD = re.compile(SOUNDCLOUD_TEXT)
_EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)
_LATEST = dt.datetime.max.replace(tzinfo=dt.UTC)


def moment(raw: str) -> dt.datetime | None:
    """The UTC moment `raw` names (None when empty); ValueError when it names none."""
    if _SOUNDCLOUD.fullmatch(raw):
        if not raw:
            return None
        shape = "%Y-%m-%d %H:%M:%S" if " " in raw else "%Y-%m-%d"
        return dt.datetime.strptime(raw, shape).replace(tzinfo=dt.UTC)
    if not _RFC3339.fullmatch(raw):
        raise ValueError(raw)
    text = raw.upper().replace("Z", "+00:00")
    leap = text[17:19] == "60"  # a leap second (23:59:60 in UTC): read as the second before
    found = dt.datetime.fromisoformat(text[:17] + "59" + text[19:] if leap else text)
    try:
        utc = found.astimezone(dt.UTC)
    except OverflowError:  # within a day of the first or last representable moment
        utc = _EARLIEST if found.year == 1 else _LATEST
    if leap and (utc.hour, utc.minute) != (23, 59):
        raise ValueError(raw)
    return utc
