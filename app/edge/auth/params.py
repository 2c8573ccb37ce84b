"""Request parameters of the OAuth endpoints: form-encoded (RFC 6749 §3.2) or JSON bodies."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

import msgspec
from litestar import Request

from app.edge.auth.errors import oauth_error

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def _invalid(description: str) -> Exception:
    return oauth_error("invalid_request", description)


def parse_form(body: bytes) -> dict[str, str]:
    """Form fields; a repeated parameter is an error (RFC 6749 §3.2)."""
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        raise _invalid("the body is not valid UTF-8") from None
    params: dict[str, str] = {}
    for name, value in pairs:
        if name in params:
            raise _invalid(f"parameter {name!r} is repeated")
        params[name] = value
    return params


def _parse_json(body: bytes) -> dict[str, str]:
    try:
        data = msgspec.json.decode(body)
    except msgspec.DecodeError:
        raise _invalid("the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise _invalid("the JSON body must be an object")
    bad = sorted(k for k, v in data.items() if not isinstance(v, str))
    if bad:
        raise _invalid(f"parameters {bad} must be strings")
    return data


async def body_params(
    request: Request[Any, Any, Any], *, allow_json: bool = True
) -> dict[str, str]:
    """The parameters of a POST; empty strings count as absent."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if ctype == FORM or (not ctype and not body):
        params = parse_form(body)
    elif ctype == JSON and allow_json:
        params = _parse_json(body)
    else:
        raise _invalid(f"the body must be {FORM}" + (" or JSON" if allow_json else ""))
    return {k: v for k, v in params.items() if v != ""}


def require(params: dict[str, str], *names: str) -> list[str]:
    """The values of required parameters, or invalid_request naming the missing ones."""
    missing = [n for n in names if not params.get(n)]
    if missing:
        raise _invalid("missing required parameter(s): " + ", ".join(missing))
    return [params[n] for n in names]
