"""A handler's JSON body encoded once and handed to the gateway as bytes (the hot reads)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec
from litestar import Response
from litestar.exceptions import SerializationException
from litestar.response.base import ASGIResponse
from litestar.serialization import get_serializer

from app.edge.kit.gateway import EDGE_RESPONSE

if TYPE_CHECKING:
    from litestar import Litestar, Request
    from litestar.background_tasks import BackgroundTask, BackgroundTasks
    from litestar.types import Receive, Scope, Send, TypeEncodersMap

T = TypeVar("T")
JSON = "application/json"


class Encoded(Response[T]):
    """A JSON response whose body the gateway finishes itself (quirks, ETag, Cache-Control,
    Vary, 304, the edge headers) from the bytes encoded here: no ASGI response object, no
    headers built to be parsed again, no buffering; encoded as Litestar's render would (the
    app's type encoders). Anything else asked of it (headers, cookies, background tasks, no
    gateway) takes Litestar's own path."""

    def __init__(self, content: T, status_code: int = 200) -> None:
        # What Response.__init__ makes of (content, status_code, media_type=JSON) and nothing
        # else (a test holds the two equal), without its general case's copies: one per read.
        self.content = content
        self.background = None
        self.cookies = []
        self.encoding = "utf-8"
        self.headers = {}
        self.media_type = JSON
        self.status_code = status_code
        self.response_type_encoders = dict(self.type_encoders or {})

    def to_asgi_response(
        self,
        app: Litestar | None,
        request: Request[Any, Any, Any],
        *,
        background: BackgroundTask | BackgroundTasks | None = None,
        cookies: Any = None,
        encoded_headers: Any = None,
        headers: dict[str, str] | None = None,
        is_head_response: bool = False,
        media_type: Any = None,
        status_code: int | None = None,
        type_encoders: TypeEncodersMap | None = None,
    ) -> ASGIResponse:
        plain = not (
            headers or self.headers or background or self.background or encoded_headers
            or self.response_type_encoders or is_head_response or cookies or self.cookies
        )  # fmt: skip
        if plain and EDGE_RESPONSE in request.scope["state"]:
            body = _encoder_for(type_encoders)(self.content)  # (as render does)
            return _Handed(body, self.status_code or status_code or 200)
        return super().to_asgi_response(
            app,
            request,
            background=background,
            cookies=cookies,
            encoded_headers=encoded_headers,
            headers=headers,
            is_head_response=is_head_response,
            media_type=media_type,
            status_code=status_code,
            type_encoders=type_encoders,
        )


def _encoder_for(type_encoders: TypeEncodersMap | None) -> Callable[[Any], bytes]:
    """encode_json with the serializer of `type_encoders` (a handler's, resolved once by
    Litestar: the same map each request), its msgspec Encoder built once per map."""
    found = _encoders.get(id(type_encoders))
    if found is None or found[0] is not type_encoders:
        encoder = msgspec.json.Encoder(enc_hook=get_serializer(type_encoders))
        found = _encoders[id(type_encoders)] = (type_encoders, partial(_encode, encoder))
    return found[1]


def _encode(encoder: msgspec.json.Encoder, value: Any) -> bytes:
    try:
        return encoder.encode(value)
    except (TypeError, msgspec.EncodeError) as exc:  # (as encode_json raises)
        raise SerializationException(str(exc)) from exc


_encoders: dict[int, tuple[TypeEncodersMap | None, Callable[[Any], bytes]]] = {}
"""_encoder_for's, by the id of the map (kept: ids stay unique while it lives)."""


class _Handed(ASGIResponse):
    """The encoded body, handed to the request's gateway response, which sends the finished
    representation through `send` (gateway._Response.encoded)."""

    __slots__ = ()

    def __init__(self, body: bytes, status_code: int) -> None:  # (nothing else to hold)
        self.body = body
        self.status_code = status_code
        self.background = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await scope["state"][EDGE_RESPONSE].encoded(self.status_code, self.body, send)
