"""JSON bodies of msgspec Structs decoded strictly, as the OpenAPI document (msgspec's own schema
of the Struct, kit.openapi) describes them.

Litestar converts a handler's `data` leniently (`strict=False`, which query strings need): a
JSON body would pass `0` for `false` or `"5"` for `5`. Before such a handler runs, its JSON body
is decoded once more, strictly, with JSON Schema's reading of numbers (`2.0` is an integer); a
value of the wrong JSON type is a 400 naming it. Malformed JSON and other media types are left
to Litestar (400 and 415).
"""

from __future__ import annotations

from typing import Any, get_args

import msgspec
from litestar import Request

from app.edge.kit.errors import EdgeError

_JSON = ("application/json",)
_NO_DATA = frozenset({"GET", "HEAD"})
"""Methods whose handlers never take `data` (Litestar refuses such a GET handler)."""


def _number(text: str) -> int | float:
    """A JSON number as JSON Schema reads it: one without a fractional part is an integer."""
    value = float(text)
    return int(value) if value.is_integer() else value


_DECODER = msgspec.json.Decoder(float_hook=_number)


def struct_types(annotation: Any) -> list[type[msgspec.Struct]]:
    """The msgspec Structs an annotation names (itself, or inside a union or container)."""
    if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
        return [annotation]
    return [t for arg in get_args(annotation) for t in struct_types(arg)]


def struct_body(handler: Any) -> Any | None:
    """The type of a handler's `data` when it holds msgspec Structs, else None."""
    signature = getattr(handler, "parsed_fn_signature", None)
    data = signature.parameters.get("data") if signature is not None else None
    return data.annotation if data is not None and struct_types(data.annotation) else None


def _is_json(request: Request[Any, Any, Any]) -> bool:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return kind in _JSON or kind.endswith("+json")


def _field(message: str) -> str | None:
    """The input a msgspec error names: `… - at `$.track_ids[0]`` → `track_ids[0]`;
    `Object contains unknown field `x` - at `$.a`` → `a.x`; None for the body itself."""
    detail, at, path = message.rpartition(" - at `$")
    where = path.rstrip("`").lstrip(".") if at else ""
    _, unknown, name = (detail if at else message).partition("unknown field `")
    if unknown:
        name = name.split("`", 1)[0]
        return f"{where}.{name}" if where else name
    return where or None


async def strict_json_body(request: Request[Any, Any, Any]) -> None:
    """A `before_request` hook: refuse (400) a JSON body its Struct does not hold strictly."""
    if request.scope["method"] in _NO_DATA:
        return
    body_type = struct_body(request.route_handler)
    if body_type is None or not _is_json(request):
        return
    raw = await request.body()
    try:
        msgspec.convert(_DECODER.decode(raw), body_type, strict=True)
    except msgspec.ValidationError as exc:
        field = _field(str(exc))
        detail = str(exc).rpartition(" - at `$")[0] or str(exc)
        message = f"invalid {field}: {detail}" if field else f"invalid body: {detail}"
        raise EdgeError(400, "invalid_argument", message, field=field) from None
    except (msgspec.DecodeError, TypeError):
        return  # malformed JSON (Litestar's 400), or a type msgspec cannot decode alone
