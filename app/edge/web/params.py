"""Request inputs in api-v2's dialect: numeric ids or urns, offsets (one per page or packed
for mixed lists) and request bodies."""

from __future__ import annotations

import base64
from typing import Annotated

import msgspec
from litestar.openapi.spec import OpenAPIType, Schema
from litestar.params import PathParameter

from app.edge.kit import bounds
from app.edge.kit.bounds import MAX_ID, Id
from app.edge.web.errors import bad_request, not_found

CURSOR_PARAM = "offset"
"""api-v2 pages with `offset`: the client echoes whatever next_href carries."""


def entity_id(raw: str, kind: str) -> int:
    """`123` or `soundcloud:tracks:123` -> 123; anything else is a 404 (no such resource)."""
    value = raw
    if ":" in raw:
        parts = raw.split(":")
        if len(parts) != 3 or parts[0] != "soundcloud" or parts[1] != kind:
            raise not_found(kind.rstrip("s"))
        value = parts[2]
    found = bounds.identifier(value, kind)
    if found is None:
        raise not_found(kind.rstrip("s"))
    return found


def _reference(kind: str) -> PathParameter:
    """A path parameter `entity_id` reads: an id, or the urn api-v2 also sends."""
    return PathParameter(
        description=f"a {kind.rstrip('s')}'s id (`123`) or urn (`soundcloud:{kind}:123`)",
        schema_extra={
            "type": None,
            "any_of": [
                Schema(type=OpenAPIType.INTEGER, minimum=1, maximum=MAX_ID),
                Schema(type=OpenAPIType.STRING, pattern=f"^(soundcloud:{kind}:)?[0-9]{{1,19}}$"),
            ],
        },
    )


UserRef = Annotated[str, _reference("users")]
TrackRef = Annotated[str, _reference("tracks")]
PlaylistRef = Annotated[str, _reference("playlists")]
CommentRef = Annotated[str, _reference("comments")]
"""Path parameters naming an entity; whatever names none is a 404 (`entity_id`)."""


def ids_list(raw: str | None) -> list[int]:
    """`ids=1,2,soundcloud:tracks:3` (at most 200)."""
    if not raw:
        return []
    found = []
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        value = bounds.identifier(part.rsplit(":", 1)[-1], "ids")
        if value is None:
            raise bad_request("invalid_ids", f"ids must be track ids; got {part[:40]!r}", "ids")
        found.append(value)
    if len(found) > 200:
        raise bad_request("too_many_ids", "at most 200 ids per request", "ids")
    return list(dict.fromkeys(found))


def page_cursor(offset: str | None, cursor: str | None = None) -> str | None:
    """The VAS cursor of this page; api-v2 clients start with offset=0 (or nothing)."""
    value = offset if offset not in (None, "") else cursor
    if value in (None, "", "0"):
        return None
    return value


def pack_cursors(cursors: dict[str, str]) -> str | None:
    """Several listings' cursors as one opaque offset (each stays signed by its VAS)."""
    if not cursors:
        return None
    return base64.urlsafe_b64encode(msgspec.json.encode(cursors)).decode().rstrip("=")


def unpack_cursors(raw: str | None, names: tuple[str, ...]) -> dict[str, str | None]:
    """Which listings still have pages, and from where (all, from the start, on page one)."""
    if raw is None:
        return dict.fromkeys(names)
    try:
        decoded = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
        packed = msgspec.json.decode(decoded, type=dict[str, str])
    except (ValueError, msgspec.DecodeError) as exc:
        raise bad_request("invalid_cursor", "offset is invalid", CURSOR_PARAM) from exc
    return {name: packed[name] for name in names if name in packed}


class NewPlaylist(msgspec.Struct, frozen=True):
    title: str
    sharing: str = "public"
    tracks: list[Id] = []
    description: str = ""
    set_type: str = "playlist"
    tag_list: str = ""
    genre: str = ""


class NewPlaylistBody(msgspec.Struct, frozen=True):
    """api-v2's POST /playlists body: `{"playlist": {"title", "sharing", "tracks": [ids]}}`."""

    playlist: NewPlaylist
