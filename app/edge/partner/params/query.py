"""Query parameters of the Partner API: id and ISRC lists, set types, date ranges (and the
VAS's names of a range's ends as this API names them)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Annotated

from litestar.openapi.spec import OpenAPIFormat, OpenAPIType, Schema
from litestar.params import QueryParameter

from app.edge.kit import bounds
from app.value_added.catalog.validation import SetType
from app.value_added.common.errors import InvalidArgument
from app.value_added.creator.validation import MAX_BATCH, MAX_DAYS

RANGE_NAMES = {"start": "from", "end": "to", "since": "from", "until": "to"}
"""The VAS's names of a date range's ends, as this API's parameters name them."""
_ID = "[1-9][0-9]{0,18}"
_ISRC = "[A-Za-z]{2}[A-Za-z0-9]{3}[0-9]{7}"


def _listed(item: str) -> str:
    """A comma-separated list of 1 to MAX_BATCH items, each matching `item`."""
    return f"^{item}(,{item}){{0,{MAX_BATCH - 1}}}$"


IdList = Annotated[
    str | None,
    QueryParameter(
        pattern=_listed(_ID),
        description=f"comma-separated track ids, at most {MAX_BATCH}",
    ),
]
IsrcList = Annotated[
    str | None,
    QueryParameter(
        pattern=_listed(_ISRC),
        description=f"comma-separated ISRC codes (any case), at most {MAX_BATCH}",
    ),
]
SetTypeFilter = Annotated[SetType | None, QueryParameter(description="only this kind of set")]
_RANGE = (
    f"`from` and `to` are UTC days, both included; `to` must not be before `from` and the "
    f"range may span at most {MAX_DAYS} days (else 400 `invalid_range`, `range_too_long`)"
)
_DATE = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.DATE)
_MOMENT = [_DATE, Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.DATE_TIME)]
FirstDay = Annotated[
    str | None,
    QueryParameter(
        name="from", required=True, description=_RANGE, schema_extra={"one_of": [_DATE]}
    ),
]
LastDay = Annotated[
    str | None,
    QueryParameter(required=True, description=_RANGE, schema_extra={"one_of": [_DATE]}),
]
"""Read by `day` (so that a missing or malformed one is a 400 naming it as this API does)."""
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
Since = Annotated[
    str | None,
    QueryParameter(
        name="from",
        description="entries at or after this date (00:00 UTC) or date and time",
        schema_extra={"one_of": _MOMENT},
    ),
]
Until = Annotated[
    str | None,
    QueryParameter(
        description="entries before this date and time, or up to the end of this date (UTC); "
        "after `from` when both are given (else 400 `invalid_range`)",
        schema_extra={"one_of": _MOMENT},
    ),
]


def bad(param: str, message: str) -> InvalidArgument:
    return InvalidArgument(f"{param}: {message}", reason="invalid_parameter", field=param)


def listed(raw: str | None) -> list[str]:
    """`a,b,c` → ['a', 'b', 'c'] (the parameter's pattern has already bounded it)."""
    return raw.split(",") if raw else []


def listed_ids(param: str, raw: str | None) -> list[int]:
    """A list of ids; one beyond int64 names nothing (it is left out)."""
    return [value for item in listed(raw) if (value := bounds.identifier(item, param))]


def day(param: str, raw: str | None) -> dt.date:
    """A required YYYY-MM-DD date."""
    if raw is None:
        raise bad(param, "is required (YYYY-MM-DD)")
    try:
        if not _DAY.fullmatch(raw):
            raise ValueError(raw)
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise bad(param, f"must be a date YYYY-MM-DD; got {raw!r}") from None


def moment(param: str, raw: str | None, *, end_of_day: bool = False) -> dt.datetime | None:
    """An optional date or date-time (naive ones are UTC); a bare `to` date includes that day."""
    if raw is None or not raw.strip():
        return None
    text = raw.strip()
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise bad(param, f"must be a date or an ISO 8601 date-time; got {raw!r}") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    try:
        value = value.astimezone(dt.UTC)
        if end_of_day and len(text) == len("YYYY-MM-DD"):
            value += dt.timedelta(days=1)
    except OverflowError:  # beyond the first or last instant a date-time may name
        return (dt.datetime.min if value.year == 1 else dt.datetime.max).replace(tzinfo=dt.UTC)
    return value


@contextmanager
def parameter_names(names: Mapping[str, str]) -> Iterator[None]:
    """Re-label a VAS error's field with this API's parameter name (`end` → `to`)."""
    try:
        yield
    except InvalidArgument as exc:
        renamed = names.get(exc.field or "")
        if renamed is not None:
            exc.field = renamed
            exc.message = f"{renamed}: {exc.message}"
        raise
