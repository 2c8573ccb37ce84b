"""The Partner API's error body: the kit's plain format, naming the offending body field."""

from __future__ import annotations

import re
from typing import Any

from litestar import Request

from app.edge.kit.errors import ErrorInfo, plain_error_format

_BODY_FIELD = re.compile(r"(?:unknown|required) field `([^`]+)`")
_REGEX = re.compile(r"matching regex .*")
_MEMBER = re.compile(r"[.\[]")


def partner_error_format(info: ErrorInfo, request: Request[Any, Any, Any]) -> Any:
    """As plain_error_format; an unknown or missing body field is named instead of `data`, a
    member of a body field by the field (`territories`, not `territories[0]`), and a pattern
    by the document that gives it rather than spelled out."""
    body = plain_error_format(info, request)
    found = _BODY_FIELD.search(info.message) if info.field == "data" else None
    if found:
        body["field"] = found.group(1)
    elif info.field:
        body["field"] = _MEMBER.split(info.field, maxsplit=1)[0] or info.field
    body["message"] = _REGEX.sub("matching the pattern in the API's document", info.message)
    return body
