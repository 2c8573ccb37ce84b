"""Request bodies in both of SoundCloud's encodings: JSON `{"track": {...}}` and form fields
`track[title]=...` (urlencoded or multipart)."""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec
from litestar import Request
from litestar.datastructures import UploadFile

from app.value_added.common.errors import InvalidArgument

T = TypeVar("T")


def _is_form(request: Request[Any, Any, Any]) -> bool:
    ctype = request.headers.get("content-type", "").lower()
    return ctype.startswith(("multipart/", "application/x-www-form-urlencoded"))


async def _form(request: Request[Any, Any, Any]) -> Any:
    try:
        return await request.form()
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidArgument(
            "form fields must be UTF-8 text; send files as parts with a filename",
            reason="invalid_body",
        ) from exc


async def fields(request: Request[Any, Any, Any], root: str) -> dict[str, Any]:
    """The members of `root` (`track`, `playlist`, `comment`) from a JSON or form body.

    Form keys `root[name]` become `name`; `root[tracks][][urn]` becomes a list under `tracks`.
    """
    if _is_form(request):
        form = await _form(request)
        found: dict[str, Any] = {}
        prefix = f"{root}["
        for key, value in form.multi_items():
            if not key.startswith(prefix):
                continue
            name = key[len(prefix) :]
            if name.endswith("[][urn]") or name == "tracks][][urn]":
                urns = [u for u in str(value).split(",") if u.strip()]
                found.setdefault("tracks", []).extend({"urn": u} for u in urns)
                continue
            found[name.removesuffix("]")] = value
        return found
    raw = await request.body()
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


def upload_of(value: Any) -> UploadFile | None:
    return value if isinstance(value, UploadFile) else None


def text(values: dict[str, Any], name: str) -> str | None:
    value = values.get(name)
    if value is None or isinstance(value, UploadFile):
        return None
    if isinstance(value, bool | int | float | str):
        return str(value).lower() if isinstance(value, bool) else str(value)
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
    if _is_form(request):
        form = await _form(request)
        return {k: v for k, v in form.items() if isinstance(v, str)}
    return await fields(request, "")
