"""Input bounds in one place per kind: ids, strings (no NUL byte), lists, search terms, numbers
and HTTP Range numbers; beyond them a request is a 400 naming what was wrong (416 for Range).

What a database would refuse differently (an integer beyond int64 on SQLite, a NUL byte in text
on PostgreSQL, a search expression too deep for SQLite's parser) is refused here first, so both
databases answer alike. The gateway checks every request's path, query string and small bodies
for NUL bytes (`reject_nul_in_target`, `guard_body`); the BFFs type their ids as `Id` and read
search input through `search_text` and `term_list`.
"""

from __future__ import annotations

import math
from typing import Annotated, Any
from urllib.parse import parse_qsl

import msgspec
from litestar.params import PathParameter, QueryParameter
from litestar.types import Receive

from app.edge.kit.errors import EdgeError
from app.value_added.common.cursor import MAX_LIMIT

MAX_ID = 2**63 - 1
MAX_PAGE_LIMIT = MAX_LIMIT
"""The largest page the listings serve."""
"""Ids are positive int64s on both databases."""
Id = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)]
"""An id in a body: a positive int64, anything else a 400 naming the field."""
PathId = Annotated[
    int,
    PathParameter(
        ge=1,
        le=MAX_ID,
        description="a positive int64 id",
        schema_extra={"minimum": 1, "maximum": MAX_ID},  # exact (Litestar writes floats)
    ),
]
"""An id in a path, bounded like `Id` (Litestar reads a path parameter's bounds from here)."""
PageLimit = Annotated[
    int | None,
    QueryParameter(
        ge=1, le=MAX_PAGE_LIMIT, description=f"items per page, 1 to {MAX_PAGE_LIMIT} (default 50)"
    ),
]
"""A page size in a query (`limit`): bounded where the document can say so."""
MAX_SEARCH_CHARS = 256
MAX_SEARCH_TERMS = 32
"""Words in one search: full-text expressions stay shallow (SQLite's parser depth is 1,000)."""
SearchText = Annotated[
    str,
    QueryParameter(
        description=f"search words: at most {MAX_SEARCH_CHARS} characters and {MAX_SEARCH_TERMS}"
        " words",
        schema_extra={"maxLength": MAX_SEARCH_CHARS},  # documented; checked by search_text
    ),
]
"""A search query parameter (`q`) as documented; read it through `search_text`."""
MAX_LIST_ITEMS = 200
"""Entries in one list filter (ids, tags, genres)."""
MAX_RANGE_DIGITS = 18
"""A Range number with more digits is beyond any stored object (they are < 10**18 bytes)."""
MAX_NUMBER = float(2**53)
"""Numeric filters (bpm, durations) beyond this are mistakes, not values."""
_JSON_TYPES = (b"application/json",)
_FORM = b"application/x-www-form-urlencoded"
_CHECKED_BODY_BYTES = 1024 * 1024
"""Bodies larger than this are not buffered for the NUL check (uploads are multipart)."""


def invalid(field: str, message: str, reason: str = "invalid_argument") -> EdgeError:
    return EdgeError(400, reason, message, field=field)


def _nul(field: str) -> EdgeError:
    return invalid(field, f"{field} must not contain a NUL byte", "nul_byte")


def text(value: str, field: str) -> str:
    """A string from any input: refused with a NUL byte in it."""
    if "\x00" in value:
        raise _nul(field)
    return value


def search_text(raw: str | None, field: str = "q") -> str | None:
    """A search query: at most MAX_SEARCH_CHARS characters and MAX_SEARCH_TERMS words."""
    if raw is None:
        return None
    text(raw, field)
    if len(raw) > MAX_SEARCH_CHARS:
        raise invalid(
            field,
            f"{field} must be at most {MAX_SEARCH_CHARS} characters; got {len(raw)}",
            "query_too_long",
        )
    words = "".join(c if c.isalnum() else " " for c in raw).split()
    if len(words) > MAX_SEARCH_TERMS:
        raise invalid(
            field,
            f"{field} must have at most {MAX_SEARCH_TERMS} words; got {len(words)}",
            "query_too_long",
        )
    return raw


TERM_LIST_TEXT = (
    f"^(?=[^,]*(,[^,]*){{0,{MAX_LIST_ITEMS - 1}}}$)"
    f"[^,]{{0,{MAX_SEARCH_CHARS}}}(,[^,]{{0,{MAX_SEARCH_CHARS}}})*$"
)
"""What `term_list` admits of a comma-separated list split at its commas, for documents: at most
MAX_LIST_ITEMS entries (the lookahead), each of at most MAX_SEARCH_CHARS characters."""


def term_list(values: list[str] | tuple[str, ...], field: str) -> list[str]:
    """The entries of one list filter: at most MAX_LIST_ITEMS, each bounded like a search."""
    if len(values) > MAX_LIST_ITEMS:
        raise invalid(
            field,
            f"{field} may have at most {MAX_LIST_ITEMS} entries; got {len(values)}",
            "too_many_values",
        )
    for value in values:
        text(value, field)
        if len(value) > MAX_SEARCH_CHARS:
            raise invalid(
                field,
                f"each of {field} must be at most {MAX_SEARCH_CHARS} characters",
                "value_too_long",
            )
    return list(values)


def _numeral(raw: str, field: str, kind: str) -> str:
    """A number as text in a query: ASCII, no digit separators, no surrounding blanks (what
    a number is in a document, not everything Python's parsers take)."""
    if not raw.isascii() or "_" in raw or raw != raw.strip():
        raise invalid(field, f"{field} must be {kind}; got {raw[:40]!r}")
    return raw


def whole_number(raw: str, field: str) -> int:
    """A whole number written as text (any size: what it is used for bounds it)."""
    try:
        return int(_numeral(raw, field, "a whole number"))
    except ValueError:
        raise invalid(field, f"{field} must be a whole number; got {raw[:40]!r}") from None


def number(raw: str, field: str) -> float:
    """A numeric filter: a finite number within ±MAX_NUMBER."""
    try:
        value = float(_numeral(raw, field, "a number"))
    except ValueError:
        raise invalid(field, f"{field} must be a number; got {raw[:40]!r}") from None
    if not math.isfinite(value) or abs(value) > MAX_NUMBER:
        raise invalid(field, f"{field} must be a finite number of at most {MAX_NUMBER:.0f}")
    return value


def identifier(raw: str, field: str) -> int | None:
    """A numeric id written as text: its value, or None when it is no positive int64."""
    digits = raw.strip()
    if not (digits.isascii() and digits.isdigit()) or len(digits) > len(str(MAX_ID)):
        return None
    value = int(digits)
    return value if 0 < value <= MAX_ID else None


def range_number(digits: str) -> int | None:
    """A number in a Range header, or None when it has more than MAX_RANGE_DIGITS digits."""
    return int(digits) if len(digits) <= MAX_RANGE_DIGITS else None


def reject_nul_in_target(scope: Any) -> None:
    """A NUL byte in the path or in any query parameter (name or value) is a 400."""
    if "\x00" in scope.get("path", ""):
        raise _nul("path")
    query: bytes = scope.get("query_string", b"")
    if b"%00" in query or b"\x00" in query:
        for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
            if "\x00" in name or "\x00" in value:
                raise _nul(name.replace("\x00", "") or "query")


def _content_type(scope: Any) -> bytes:
    for name, value in scope["headers"]:
        if name == b"content-type":
            return bytes(value).split(b";")[0].strip().lower()
    return b""


def _json_nul(body: bytes) -> str | None:
    """The name of the first JSON member holding a NUL (None: none, or not JSON)."""
    if b"\\u0000" not in body:
        return None
    try:
        decoded = msgspec.json.decode(body)
    except msgspec.DecodeError:
        return None
    stack: list[tuple[str, Any]] = [("body", decoded)]
    while stack:
        name, value = stack.pop()
        if isinstance(value, str) and "\x00" in value:
            return name
        if isinstance(value, dict):
            for key, item in value.items():
                if "\x00" in key:
                    return "body"
                stack.append((key, item))
        elif isinstance(value, list):
            stack.extend((name, item) for item in value)
    return None


def json_text(body: bytes, field: str) -> bytes:
    """A JSON document from any input: refused with a NUL byte in any of its strings."""
    found = _json_nul(body)
    if found is not None:
        raise _nul(field if found == "body" else found)
    return body


def _form_nul(body: bytes) -> str | None:
    if b"%00" not in body and b"\x00" not in body:
        return None
    for name, value in parse_qsl(body.decode("latin-1"), keep_blank_values=True):
        if "\x00" in name or "\x00" in value:
            return name.replace("\x00", "") or "body"
    return None


def guard_body(scope: Any, receive: Receive) -> Receive:
    """`receive`, refusing (400, raised when the body's last part arrives) a JSON or url-encoded
    body with a NUL byte in any string; other bodies pass untouched."""
    kind = _content_type(scope)
    is_json = kind in _JSON_TYPES or kind.endswith(b"+json")
    if not is_json and kind != _FORM:
        return receive
    seen = bytearray()

    async def checked() -> Any:
        message = await receive()
        if message["type"] != "http.request" or len(seen) > _CHECKED_BODY_BYTES:
            return message
        seen.extend(message.get("body", b""))
        if not message.get("more_body") and len(seen) <= _CHECKED_BODY_BYTES:
            field = _json_nul(bytes(seen)) if is_json else _form_nul(bytes(seen))
            if field is not None:
                raise _nul(field)
        return message

    return checked
