"""Legacy SDKs send `oauth_token`/`client_id` in form bodies: read them, keep the body intact."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from litestar.types import Receive

FORM = b"application/x-www-form-urlencoded"
MAX_FORM_BYTES = 64 * 1024
CREDENTIAL_FIELDS = ("oauth_token", "client_id")


async def credentials_from_form(scope: Any, receive: Receive) -> tuple[dict[str, str], Receive]:
    """Credentials found in a small url-encoded body, and a `receive` that replays the body.

    Only url-encoded bodies up to 64 KiB are read; anything else is left untouched.
    """
    content_type = dict(scope["headers"]).get(b"content-type", b"")
    if content_type.split(b";")[0].strip().lower() != FORM:
        return {}, receive
    messages: list[Any] = []
    body = b""
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        body += message.get("body", b"")
        if not message.get("more_body") or len(body) > MAX_FORM_BYTES:
            break
    found = {}
    if len(body) <= MAX_FORM_BYTES:
        fields = dict(parse_qsl(body.decode("latin-1")))
        found = {k: fields[k] for k in CREDENTIAL_FIELDS if fields.get(k)}

    async def replay() -> Any:
        if messages:
            return messages.pop(0)
        return await receive()

    return found, replay
