"""Field checkers: each validates (and normalizes) one value or raises InvalidArgument."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from app.value_added.common.errors import InvalidArgument
from app.value_added.creator.territories import ISO_ALPHA2

ISRC = re.compile(r"^[A-Z]{2}[A-Z0-9]{3}\d{7}$")
Check = Callable[[str, Any], Any]


def fail(field: str, message: str) -> InvalidArgument:
    return InvalidArgument(f"{field} {message}", reason="invalid_field", field=field)


def title(field: str, value: Any) -> Any:
    cleaned = value.strip() if isinstance(value, str) else ""
    if not 1 <= len(cleaned) <= 255:
        raise fail(field, "must be 1 to 255 characters (not blank)")
    return cleaned


def text(limit: int) -> Callable[[str, Any], Any]:
    def check(field: str, value: Any) -> Any:
        if not isinstance(value, str):
            raise fail(field, "must be a string")
        if len(value) > limit:
            raise fail(field, f"must be at most {limit} characters; got {len(value)}")
        return value

    return check


def one_of(choices: tuple[str, ...]) -> Callable[[str, Any], Any]:
    def check(field: str, value: Any) -> Any:
        if value not in choices:
            raise fail(field, f"must be one of {', '.join(choices)}; got {value!r}")
        return value

    return check


def flag(field: str, value: Any) -> Any:
    if not isinstance(value, bool):
        raise fail(field, "must be true or false")
    return value


def duration(field: str, value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise fail(field, f"must be a whole number of milliseconds >= 0; got {value!r}")
    return value


def bpm(field: str, value: Any) -> Any:
    if value is None:
        return None
    number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
    if number is None or not math.isfinite(number) or not 0 < number <= 999:
        raise fail(field, f"must be greater than 0 and at most 999; got {value!r}")
    return float(number)


def isrc(field: str, value: Any) -> Any:
    if value is None:
        return None
    if not isinstance(value, str) or not ISRC.fullmatch(value):
        raise fail(field, f"must look like CCXXXYYNNNNN (e.g. USRC17607839); got {value!r}")
    return value


def url(field: str, value: Any) -> Any:
    text(512)(field, value)
    if value == "":
        return value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise fail(field, f"must be an http(s) URL; got {value!r}")
    return value


def date(field: str, value: Any) -> Any:
    if value is not None and (isinstance(value, dt.datetime) or not isinstance(value, dt.date)):
        raise fail(field, "must be a date")
    return value


def moment(field: str, value: Any) -> Any:
    if value is None:
        return None
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        raise fail(field, "must be a timezone-aware date and time")
    return value.astimezone(dt.UTC)


def territories(field: str, value: Any) -> Any:
    if value is None:
        return None
    if not isinstance(value, list | tuple):
        raise fail(field, "must be a list of ISO 3166-1 alpha-2 codes, or null (worldwide)")
    codes: list[str] = []
    for code in value:
        upper = code.upper() if isinstance(code, str) else ""
        if upper not in ISO_ALPHA2:
            raise fail(field, f"must hold ISO 3166-1 alpha-2 codes; {code!r} is not one")
        if upper not in codes:
            codes.append(upper)
    return codes
