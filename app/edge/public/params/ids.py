"""SoundCloud identifiers: `soundcloud:tracks:123` URNs (or bare numeric ids) in, URNs out."""

from __future__ import annotations

import re

from app.value_added.common.errors import NotFound

_MAX_ID = 2**63 - 1
_URN = re.compile(r"soundcloud:(?P<kind>[a-z-]+):(?P<id>\d{1,19})")


def urn(kind: str, entity_id: int) -> str:
    """`urn("tracks", 1)` -> `soundcloud:tracks:1`."""
    return f"soundcloud:{kind}:{entity_id}"


def parse(raw: str, kind: str) -> int:
    """The numeric id of a URN of `kind` or of a bare id; anything else is not found."""
    value = raw.strip()
    match = _URN.fullmatch(value)
    if match and match["kind"] == kind:
        value = match["id"]
    if value.isascii() and value.isdigit() and 0 < int(value) <= _MAX_ID:
        return int(value)
    raise NotFound(f"no {kind[:-1]} {raw!r}")


def parse_list(raw: str | None, kind: str) -> tuple[int, ...] | None:
    """A comma-separated list of URNs or ids; unknown entries are dropped (they match nothing)."""
    if raw is None or not raw.strip():
        return None
    found: list[int] = []
    for part in raw.split(","):
        try:
            found.append(parse(part, kind))
        except NotFound:
            continue
    return tuple(found)
