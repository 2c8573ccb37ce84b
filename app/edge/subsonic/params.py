"""Request inputs: Subsonic parameters from the query string and form body, ids and bounds.

Ids are strings with a kind prefix, stable as long as the entity exists:
`tr-<track id>`, `al-<album (playlist) id>`, `al-s-<user id>` (an artist's singles),
`ar-<user id>`, `pl-<playlist id>`. Anything else is simply not found (error 70).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Literal, NamedTuple
from urllib.parse import parse_qsl

from litestar import Request

from app.edge.subsonic import errors
from app.edge.subsonic.errors import SubsonicError, invalid, missing, not_found

Format = Literal["xml", "json", "jsonp"]
FORMATS = ("xml", "json", "jsonp")
Kind = Literal["track", "album", "singles", "artist", "playlist"]
FORM = "application/x-www-form-urlencoded"
MAX_FORM_BYTES = 256 * 1024
MAX_PAGE = 500
"""Largest `size`/`count` any list takes (Subsonic's own maximum)."""
MAX_IDS = 500
"""Most ids one request may name (songId, id, albumId …)."""
STATE_KEY = "subsonic_call"
_ID = re.compile(r"(tr|al-s|al|ar|pl)-([1-9][0-9]{0,17})")
_PREFIX: dict[str, Kind] = {
    "tr": "track",
    "al": "album",
    "al-s": "singles",
    "ar": "artist",
    "pl": "playlist",
}
PREFIX_OF: dict[Kind, str] = {kind: prefix for prefix, kind in _PREFIX.items()}
_CALLBACK = re.compile(r"[A-Za-z_$][A-Za-z0-9_$.]{0,63}")
_VERSION = re.compile(r"([0-9]{1,4})\.[0-9]{1,4}(?:\.[0-9]{1,4})?")
PROTOCOL_MAJOR = 1
"""The major version of the Subsonic REST protocol served (representations.API_VERSION)."""


class Ref(NamedTuple):
    kind: Kind
    id: int


def id_of(kind: Kind, value: int) -> str:
    """The Subsonic id of an entity."""
    return f"{PREFIX_OF[kind]}-{value}"


def parse_ref(raw: str) -> Ref | None:
    match = _ID.fullmatch(raw.strip())
    if match is None:
        return None
    return Ref(_PREFIX[match.group(1)], int(match.group(2)))


class Call:
    """One request's parameters (query string, then form body), its response format and the
    request itself (for links)."""

    def __init__(self, request: Request[Any, Any, Any], pairs: Sequence[tuple[str, str]]):
        self.request = request
        self._values: dict[str, list[str]] = {}
        for key, value in pairs:
            self._values.setdefault(key, []).append(value)
        wanted = (self.one("f") or "xml").lower()
        self.format: Format = wanted if wanted in ("json", "jsonp") else "xml"  # type: ignore[assignment]
        callback = self.one("callback")
        self.callback = callback if callback and _CALLBACK.fullmatch(callback) else None

    def check_format(self) -> None:
        """Error 0 for an unknown format `f`, or a `callback` that is no JavaScript name when
        the format is not JSONP (with f=jsonp it is error 10, as a missing one: encoding)."""
        wanted = self.one("f")
        if wanted is not None and wanted.lower() not in FORMATS:
            raise invalid("f", f"must be one of {', '.join(FORMATS)}")
        if self.format != "jsonp" and self.one("callback") is not None and self.callback is None:
            raise invalid("callback", "must be a JavaScript name")

    def one(self, name: str) -> str | None:
        values = self._values.get(name)
        return values[0] if values else None

    def many(self, name: str, limit: int = MAX_IDS) -> list[str]:
        values = self._values.get(name, [])
        if len(values) > limit:
            raise invalid(name, f"may be given at most {limit} times")
        return values

    def has(self, name: str) -> bool:
        return bool(self._values.get(name))

    def required(self, name: str) -> str:
        value = self.one(name)
        if value is None or value == "":
            raise missing(name)
        return value

    def integer(self, name: str, default: int, low: int, high: int) -> int:
        raw = self.one(name)
        if raw is None or raw == "":
            return default
        try:
            value = int(raw)
        except ValueError:
            raise invalid(name, f"must be an integer; got {raw!r}") from None
        if not low <= value <= high:
            raise invalid(name, f"must be between {low} and {high}; got {value}")
        return value

    def optional_integer(self, name: str, low: int, high: int) -> int | None:
        return None if not self.one(name) else self.integer(name, low, low, high)

    def size(self, name: str = "size", default: int = 10) -> int:
        return self.integer(name, default, 1, MAX_PAGE)

    def offset(self, name: str = "offset") -> int:
        return self.integer(name, 0, 0, 1_000_000)

    def boolean(self, name: str, default: bool) -> bool:
        raw = (self.one(name) or "").strip().lower()
        if raw == "":
            return default
        if raw in ("true", "1", "yes"):
            return True
        if raw in ("false", "0", "no"):
            return False
        raise invalid(name, f"must be true or false; got {raw!r}")

    def check_protocol(self) -> None:
        """Error 20 for a client speaking a REST protocol before 1.x, 30 for a later major one
        (the server must upgrade). Minor versions and an unreadable or missing `v` pass:
        players differ in what they send, and every 1.x call is answered as 1.16.1."""
        match = _VERSION.fullmatch((self.one("v") or "").strip())
        if match is None:
            return
        major = int(match.group(1))
        if major < PROTOCOL_MAJOR:
            raise SubsonicError(
                errors.CLIENT_MUST_UPGRADE,
                f"the client must upgrade: protocol {PROTOCOL_MAJOR}.x is served",
            )
        if major > PROTOCOL_MAJOR:
            raise SubsonicError(
                errors.SERVER_MUST_UPGRADE,
                f"the server must upgrade: it serves protocol {PROTOCOL_MAJOR}.x",
            )

    def ref(self, name: str = "id", *kinds: Kind) -> Ref:
        """The entity named by parameter `name` (required), of one of `kinds`; error 70
        for a malformed id or one of another kind, like for a missing entity."""
        found = parse_ref(self.required(name))
        if found is None or (kinds and found.kind not in kinds):
            raise not_found()
        return found

    def refs(self, name: str, *kinds: Kind, limit: int = MAX_IDS) -> list[Ref]:
        found = []
        for raw in self.many(name, limit):
            ref = parse_ref(raw)
            if ref is None or (kinds and ref.kind not in kinds):
                raise not_found()
            found.append(ref)
        return found


async def read_call(request: Request[Any, Any, Any]) -> Call:
    """The request's parameters: query string, then (formPost) a url-encoded body."""
    pairs = list(request.query_params.multi_items())
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if request.method == "POST" and ctype == FORM:
        body = await request.body()
        if len(body) > MAX_FORM_BYTES:
            raise invalid("body", f"must be at most {MAX_FORM_BYTES} bytes")
        pairs.extend(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    call = Call(request, pairs)
    request.scope.setdefault("state", {})[STATE_KEY] = call
    call.check_format()
    return call


def call_of(request: Request[Any, Any, Any]) -> Call:
    """The parsed call of the request (or one read from its query string alone, for errors
    raised before the body was read)."""
    found = (request.scope.get("state") or {}).get(STATE_KEY)
    if isinstance(found, Call):
        return found
    return Call(request, list(request.query_params.multi_items()))
