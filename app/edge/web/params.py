"""Request inputs in api-v2's dialect: numeric ids or urns, offsets (one per page or packed
for mixed lists) and request bodies."""

from __future__ import annotations

import base64
import re
from typing import Annotated, Any, Literal

import msgspec
from litestar.openapi.spec import OpenAPIType, Schema
from litestar.params import PathParameter, QueryParameter

from app.edge.kit import bounds
from app.edge.kit.bounds import MAX_ID, Id
from app.edge.web.errors import bad_request, not_found
from app.edge.web.mappers.playlists import PLAYLIST
from app.edge.web.mappers.shapes import Shape
from app.edge.web.mappers.tracks import TRACK
from app.edge.web.mappers.users import ME, USER
from app.edge.web.representations.pages import CURSOR_PARAM
from app.value_added.catalog.requests import Genre, PlaylistDescription, TagList, Title
from app.value_added.catalog.validation import MAX_TRACKS, WHITESPACE

SPACES = f"[{WHITESPACE}]*"

Offset = Annotated[
    str | None,
    QueryParameter(
        description="where the page starts: absent, empty or `0` for the first page, else the "
        "`offset` of the previous page's `next_href` (opaque, signed by the server)"
    ),
]


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


def _fields(shape: Shape[Any, Any]) -> QueryParameter:
    """`fields=`: names of the shape's fields, comma-separated, as `Shape.select` reads them
    (blanks around names and empty entries ignored; absent or blank: every field)."""
    name = "(?:" + "|".join(re.escape(n) for n in shape.names) + f"){SPACES}"
    entry = f"{SPACES}(?:{name})?"
    return QueryParameter(
        description=f"the {shape.entity} fields to answer with, comma-separated (the names "
        "the pattern lists); absent or blank: all of them",
        schema_extra={"pattern": f"^{entry}(?:,{entry})*$"},
    )


TrackFields = Annotated[str | None, _fields(TRACK)]
UserFields = Annotated[str | None, _fields(USER)]
MeFields = Annotated[str | None, _fields(ME)]
PlaylistFields = Annotated[str | None, _fields(PLAYLIST)]
"""The `fields=` of each api-v2 entity (an unknown name is a 400 `unknown_field`)."""


_ID_ENTRY = f"{SPACES}(?:(?:[^,]*:)?{SPACES}[1-9][0-9]{{0,17}}{SPACES})?"
Ids = Annotated[
    str | None,
    QueryParameter(
        description="track ids or urns, comma-separated (at most 200): `1,2,soundcloud:tracks:3`",
        schema_extra={"pattern": f"^{_ID_ENTRY}(?:,{_ID_ENTRY}){{0,199}}$"},
    ),
]
"""`ids=` as `ids_list` reads it (the pattern admits ids below 10**18, all there are)."""


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
    """The catalog's rules for a new playlist, as the decoder enforces them."""

    title: Title
    sharing: Literal["public", "private"] = "public"
    tracks: Annotated[list[Id], msgspec.Meta(max_length=MAX_TRACKS)] = []
    description: PlaylistDescription = ""
    set_type: Literal["playlist", "album", "ep", "single", "compilation"] = "playlist"
    tag_list: TagList = ""
    genre: Genre = ""


class NewPlaylistBody(msgspec.Struct, frozen=True):
    """api-v2's POST /playlists body: `{"playlist": {"title", "sharing", "tracks": [ids]}}`."""

    playlist: NewPlaylist
