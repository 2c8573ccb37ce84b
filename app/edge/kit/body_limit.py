"""One request-size limit for every BFF, kept by the gateway where no route can switch it off:
MAX_BODY_BYTES for every body, MAX_UPLOAD_BYTES (plus room for the form around the file) for
the routes declared uploads (kit.routes UPLOAD). Beyond it a 413 with a machine-readable reason,
before anything is read when Content-Length announces it, else as soon as the bytes received
pass it: no body bigger than its limit is ever held, whatever the handler does with it.

The start-up check refuses a route handler that sets Litestar's own limit
(`request_max_body_size`): a route declares an upload, it never chooses its own limit."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import msgspec
from litestar import Litestar
from litestar.types import Empty, Receive

from app.edge.kit import headers
from app.edge.kit.errors import EdgeError
from app.edge.kit.routes import RouteDeclarationError, Security

DEFAULT_MAX_BODY_BYTES = 1024 * 1024
"""MAX_BODY_BYTES unset: 1 MiB, far above any JSON or form a BFF reads."""


class BodyLimits(msgspec.Struct, frozen=True):
    """The bytes a request body may have: `body` on every route, `upload` on uploads."""

    body: int = DEFAULT_MAX_BODY_BYTES
    max_upload: int = 200 * 1024 * 1024

    @property
    def upload(self) -> int:
        """An upload's whole body: the file (MAX_UPLOAD_BYTES, which the media pipeline
        enforces on the file itself) and the form fields and framing around it."""
        return self.max_upload + self.body

    def of(self, security: Security) -> tuple[int, str]:
        """The limit of a route with this declaration and the reason of its 413."""
        if security.upload:
            return self.upload, "upload_too_large"
        return self.body, "body_too_large"


def too_large(limit: int, reason: str) -> EdgeError:
    return EdgeError(
        413,
        reason,
        f"the request body may be at most {limit} bytes here",
        extra={"max_bytes": limit},
    )


def bounded(scope: Any, receive: Receive, limit: int, reason: str) -> Receive:
    """`receive` for a request whose body may have at most `limit` bytes: a larger announced
    Content-Length is refused at once (raised here), a body that grows past it as soon as it
    does (raised from the returned `receive`, before the bytes reach anybody)."""
    announced = headers.value_of(scope["headers"], b"content-length")
    if announced is not None:
        digits = announced.strip()
        if not digits.isdigit() or len(digits) > 18:
            raise EdgeError(400, "invalid_content_length", "Content-Length must be a number")
        if int(digits) > limit:
            raise too_large(limit, reason)
    received = 0

    async def counted() -> Any:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise too_large(limit, reason)
        return message

    return counted


def check_body_limits(app: Litestar, bff: str) -> None:
    """Refuse (RouteDeclarationError) a route handler that sets `request_max_body_size`
    itself (None would switch the limit off, a number would bypass the settings), or whose
    resolved Litestar limit is off."""
    for path, method, handler in _http_handlers(app.route_handler_method_map):
        own = getattr(handler, "request_max_body_size", Empty)
        if own is not Empty:
            raise RouteDeclarationError(
                f"{bff} BFF: route handler {handler.handler_name!r} ({method} {path}) sets "
                f"request_max_body_size={own!r}; bodies are bounded by the kit "
                f"(MAX_BODY_BYTES; declare an upload with kit.routes UPLOAD or upload(...))"
            )
        if handler.resolve_request_max_body_size() is None:
            raise RouteDeclarationError(
                f"{bff} BFF: route handler {handler.handler_name!r} ({method} {path}) has no "
                f"request body limit"
            )


def _http_handlers(method_map: Mapping[str, Mapping[Any, Any]]) -> Iterator[tuple[str, str, Any]]:
    for path, by_method in method_map.items():
        for method, handler in by_method.items():
            if hasattr(handler, "resolve_request_max_body_size"):  # (not websockets, ASGI)
                yield path, str(method), handler
