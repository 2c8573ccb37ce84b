"""Request bodies in both of SoundCloud's encodings: JSON `{"track": {...}}` and form fields
`track[title]=...` (urlencoded or multipart)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, TypeVar
from urllib.parse import parse_qsl

import msgspec
from litestar import Request

from app.edge.kit import bounds, streamed_form
from app.edge.public.params import ids
from app.value_added.common.errors import InvalidArgument

T = TypeVar("T")
TRACK_TEXT_FIELDS = (
    "title",
    "description",
    "genre",
    "tag_list",
    "label_name",
    "purchase_url",
    "purchase_title",
    "license",
    "sharing",
    "key_signature",
)
TRACK_FLAGS = ("streamable", "downloadable", "commentable")
PLAYLIST_TEXT_FIELDS = (
    "title",
    "description",
    "sharing",
    "set_type",
    "genre",
    "tag_list",
    "label_name",
)
STOREFRONT_TYPES = frozenset(
    {"digital", "vinyl", "cd", "cassette", "apparel", "sample_pack", "subscription"}
    | {"live_event", "live_stream", "other"}
)
STOREFRONT_LIMITS = {"title": 100, "link": 255, "link_title": 50, "description": 500, "price": 20}
"""The most characters each storefront field may have."""


def _is_urlencoded(request: Request[Any, Any, Any]) -> bool:
    ctype = request.headers.get("content-type", "").lower()
    return ctype.startswith("application/x-www-form-urlencoded")


def _members(items: list[tuple[str, Any]], root: str) -> dict[str, Any]:
    """Form keys `root[name]` become `name`; `root[tracks][][urn]` becomes a list under
    `tracks`."""
    found: dict[str, Any] = {}
    prefix = f"{root}["
    for key, value in items:
        if not key.startswith(prefix):
            continue
        name = key[len(prefix) :]
        if name.endswith("[][urn]") or name == "tracks][][urn]":
            urns = [u for u in str(value).split(",") if u.strip()]
            found.setdefault("tracks", []).extend({"urn": u} for u in urns)
            continue
        found[name.removesuffix("]")] = value
    return found


async def _urlencoded(request: Request[Any, Any, Any]) -> list[tuple[str, str]]:
    try:
        text = (await streamed_form.bounded_body(request)).decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidArgument("form fields must be UTF-8 text", reason="invalid_body") from None
    return parse_qsl(text, keep_blank_values=True)


async def _multipart(request: Request[Any, Any, Any], boundary: str) -> list[tuple[str, str]]:
    """Every text field of a multipart body (each bounded; file parts skipped unread)."""
    form = streamed_form.StreamedForm(request, boundary)
    try:
        fields, _ = await form.fields_until(None)
    finally:
        await form.close()
    return fields


async def fields(request: Request[Any, Any, Any], root: str) -> dict[str, Any]:
    """The members of `root` (`track`, `playlist`, `comment`) from a JSON or form body, read
    as it arrives and bounded (kit.streamed_form): a multipart form's text fields, an
    url-encoded form or JSON up to the body limit."""
    boundary = streamed_form.multipart_boundary(request)
    if boundary is not None:
        return _members(await _multipart(request, boundary), root)
    if _is_urlencoded(request):
        return _members(await _urlencoded(request), root)
    return _json_members(await streamed_form.bounded_body(request), root)


def _json_members(raw: bytes, root: str) -> dict[str, Any]:
    if not raw.strip():
        return {}
    try:
        decoded = msgspec.json.decode(raw)
    except msgspec.DecodeError:
        raise InvalidArgument("the request body is not valid JSON", reason="invalid_body") from None
    inner = decoded.get(root) if isinstance(decoded, dict) else None
    if inner is None and isinstance(decoded, dict) and root not in decoded:
        inner = decoded
    if not isinstance(inner, dict):
        raise InvalidArgument(f"{root} must be an object", field=root)
    return dict(inner)


class Upload(msgspec.Struct, frozen=True):
    """An upload's fields, read before its file, and the file part, not yet read."""

    values: dict[str, Any]
    file: streamed_form.FilePart | None


@asynccontextmanager
async def upload(
    request: Request[Any, Any, Any], root: str, file_field: str
) -> AsyncIterator[Upload]:
    """The members of `root` sent before the file part `root[file_field]` and that part, whose
    bytes are streamed as they arrive (a multipart form); any other body has no file."""
    boundary = streamed_form.multipart_boundary(request)
    if boundary is None:
        yield Upload(await fields(request, root), None)
        return
    form = streamed_form.StreamedForm(request, boundary)
    try:
        items, file = await form.fields_until(f"{root}[{file_field}]")
        yield Upload(_members(items, root), file)
    finally:
        await form.close()


def text(values: dict[str, Any], name: str) -> str | None:
    value = values.get(name)
    if value is None:
        return None
    if isinstance(value, bool | int | float | str):
        return str(value).lower() if isinstance(value, bool) else bounds.text(str(value), name)
    raise InvalidArgument(f"{name} must be a string", field=name)


def texts(values: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """The named text fields that are present."""
    found: dict[str, Any] = {}
    for name in names:
        value = text(values, name)
        if value is not None:
            found[name] = value
    return found


def convert(values: dict[str, Any], kind: type[T]) -> T:
    """Values as the gateway's typed input; a mistyped value is a 400."""
    try:
        return msgspec.convert(values, kind)
    except msgspec.ValidationError as exc:
        raise InvalidArgument(str(exc)) from None


async def flat(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """Every top-level field of a form or JSON body (OAuth token requests)."""
    boundary = streamed_form.multipart_boundary(request)
    if boundary is not None:
        return dict(await _multipart(request, boundary))
    if _is_urlencoded(request):
        return dict(await _urlencoded(request))
    return await fields(request, "")


def _flag(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    raise InvalidArgument(f"{name} must be true or false", field=name)


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise InvalidArgument(
            "release_date must be formatted yyyy-mm-dd", field="release_date"
        ) from None


def track_values(raw: dict[str, Any]) -> dict[str, Any]:
    """SoundCloud's track fields mapped onto the Creator gateway's (unknown ones ignored)."""
    values = texts(raw, TRACK_TEXT_FIELDS)
    for name in TRACK_FLAGS:
        if raw.get(name) is not None:
            values[name] = _flag(name, raw[name])
    isrc = text(raw, "isrc")
    if isrc is not None:
        values["isrc"] = isrc or None
    if "release_date" in raw:
        values["release_date"] = _date(text(raw, "release_date"))
    if raw.get("bpm") not in (None, ""):
        try:
            values["bpm"] = float(str(raw["bpm"]))
        except ValueError:
            raise InvalidArgument("bpm must be a number", field="bpm") from None
    return values


def storefront(raw: dict[str, Any]) -> dict[str, Any]:
    """A storefront button: title and link required, every text bounded, a known type."""
    out: dict[str, Any] = {}
    for name, limit in STOREFRONT_LIMITS.items():
        value = raw.get(name)
        if value is None:
            if name in ("title", "link"):
                raise InvalidArgument(f"{name} is required", field=name)
            out[name] = None
            continue
        if not isinstance(value, str) or len(value) > limit:
            raise InvalidArgument(f"{name} must be a string of at most {limit}", field=name)
        out[name] = value
    kind = raw.get("type")
    if not isinstance(kind, str) or kind not in STOREFRONT_TYPES:
        raise InvalidArgument(
            "type must be one of " + ", ".join(sorted(STOREFRONT_TYPES)), field="type"
        )
    out["type"] = raw["type"]
    return out


def timestamp(value: Any) -> int | None:
    """A comment's position in the track, in milliseconds."""
    if value is None or value == "":
        return None
    try:
        return int(float(str(value)))
    except (ValueError, OverflowError):
        raise InvalidArgument("timestamp must be a number of milliseconds") from None


def track_ids(raw: dict[str, Any]) -> list[int] | None:
    """A playlist's `tracks` (`[{urn}]`, `[{id}]` or bare ids); None when not sent."""
    listed = raw.get("tracks")
    if listed is None:
        return None
    if not isinstance(listed, list):
        raise InvalidArgument("tracks must be a list of {urn}", field="tracks")
    found: list[int] = []
    for entry in listed:
        ref = entry.get("urn", entry.get("id")) if isinstance(entry, dict) else entry
        found.append(ids.parse(str(ref), "tracks"))
    return found
