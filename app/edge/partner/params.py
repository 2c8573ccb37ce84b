"""Query parameters of the Partner API: id lists, dates, and VAS field names to parameter names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from litestar import Request

from app.edge.kit.caller import Caller
from app.value_added.common.errors import InvalidArgument
from app.value_added.creator import AuditContext

MAX_LIST = 200


def bad(param: str, message: str) -> InvalidArgument:
    return InvalidArgument(f"{param}: {message}", reason="invalid_parameter", field=param)


def csv_list(param: str, raw: str | None) -> list[str]:
    """`a,b,c` → ['a', 'b', 'c'] (blanks dropped); at most 200 items."""
    items = [part.strip() for part in (raw or "").split(",") if part.strip()]
    if len(items) > MAX_LIST:
        raise bad(param, f"at most {MAX_LIST} values; got {len(items)}")
    return items


def int_list(param: str, raw: str | None) -> list[int]:
    values = []
    for item in csv_list(param, raw):
        if not item.isdigit():
            raise bad(param, f"{item!r} is not a positive integer id")
        values.append(int(item))
    return values


def day(param: str, raw: str | None) -> dt.date:
    """A required YYYY-MM-DD date."""
    if raw is None or not raw.strip():
        raise bad(param, "is required (YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(raw.strip())
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
    if end_of_day and len(text) == len("YYYY-MM-DD"):
        value += dt.timedelta(days=1)
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


def audit_context(request: Request[Any, Any, Any], caller: Caller) -> AuditContext:
    """Who is writing: the calling app, the token's user if any, and this request's id."""
    state = request.scope.get("state") or {}
    request_id = state.get("request_id")
    return AuditContext(
        app_id=caller.app.id,
        app_name=caller.app.name,
        actor_user_id=caller.user_id,
        request_id=str(request_id)[:64] if request_id else None,
    )
