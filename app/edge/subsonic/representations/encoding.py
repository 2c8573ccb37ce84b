"""The `subsonic-response` envelope in the format a call asks for: XML (the default), JSON, or
JSONP (JSON passed to `callback`).

Both formats come from one value: in XML a scalar is an attribute, an object a child element, a
list repeated child elements named like its key, and a field named `value` the element's text —
the mapping every Subsonic server and client uses.
"""

from __future__ import annotations

import functools
import re
from importlib.metadata import PackageNotFoundError, version
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

import msgspec
from litestar import Response

API_VERSION = "1.16.1"
SERVER_TYPE = "soundstack"
XMLNS = "http://subsonic.org/restapi"
CACHE_CONTROL = "private, no-cache"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 cannot carry (control characters, lone surrogates)."""
MEDIA_TYPES = {
    "xml": "text/xml",
    "json": "application/json",
    "jsonp": "application/javascript",
}


@functools.cache
def server_version() -> str:
    """Soundstack's version, as installed."""
    try:
        return version("soundstack")
    except PackageNotFoundError:
        return "0.0.0"


def envelope(status: str, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "status": status,
        "version": API_VERSION,
        "type": SERVER_TYPE,
        "serverVersion": server_version(),
        "openSubsonic": True,
        **body,
    }


def render(
    fmt: str,
    callback: str | None,
    data: dict[str, Any],
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response[bytes]:
    """The envelope `data` (already holding status, version …) as a response body."""
    plain = msgspec.to_builtins(data)
    if fmt == "jsonp" and callback is None and plain.get("status") == "ok":
        missing = {"code": 10, "message": "f=jsonp needs a valid 'callback' parameter"}
        plain = msgspec.to_builtins(envelope("failed", {"error": missing}))
    if fmt == "xml" or (fmt == "jsonp" and callback is None):
        # (JSONP without a valid callback is refused as XML: never echo an unchecked name)
        body = to_xml(plain)
        media_type = MEDIA_TYPES["xml"]
    else:
        body = msgspec.json.encode({"subsonic-response": plain})
        media_type = MEDIA_TYPES["json"]
        if fmt == "jsonp":
            body = f"{callback}(".encode() + body + b");"
            media_type = MEDIA_TYPES["jsonp"]
    out = {"Cache-Control": CACHE_CONTROL, **(headers or {})}
    return Response(body, status_code=status_code, media_type=media_type, headers=out)


def ok(fmt: str, callback: str | None, **body: Any) -> Response[bytes]:
    """A successful response; each keyword is one element of the envelope."""
    return render(fmt, callback, envelope("ok", body))


def failed(
    fmt: str,
    callback: str | None,
    code: int,
    message: str,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response[bytes]:
    error: dict[str, Any] = {"code": code, "message": message}
    if fmt == "jsonp" and callback is None:
        error = {"code": 10, "message": "f=jsonp needs a valid 'callback' parameter"}
    return render(fmt, callback, envelope("failed", {"error": error}), status_code, headers)


def to_xml(plain: dict[str, Any]) -> bytes:
    """The envelope (plain data: dicts, lists, scalars) as a UTF-8 XML document."""
    root = Element("subsonic-response", {"xmlns": XMLNS})
    _fill(root, plain)
    document: bytes = tostring(root, encoding="utf-8", xml_declaration=True)
    return document


def _fill(element: Element, value: dict[str, Any]) -> None:
    for key, item in value.items():
        if isinstance(item, dict):
            _fill(SubElement(element, key), item)
        elif isinstance(item, list):
            for entry in item:
                child = SubElement(element, key)
                if isinstance(entry, dict):
                    _fill(child, entry)
                else:
                    child.text = _text(entry)
        elif key == "value":
            element.text = _text(item)
        elif item is not None:
            element.set(key, _text(item))


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))
