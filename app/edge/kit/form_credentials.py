"""Legacy SDKs send `oauth_token`/`client_id` in form bodies, url-encoded or multipart (an
upload): read them, keep the body intact."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from litestar.types import Receive
from multipart import (  # type: ignore[import-untyped]
    MultipartError,
    MultipartSegment,
    PushMultipartParser,
    parse_options_header,
)

FORM = b"application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
MAX_FORM_BYTES = 64 * 1024
"""How much of a body is read for credentials: a url-encoded body up to this size, and of a
multipart body only the fields before its first file, up to this size."""
CREDENTIAL_FIELDS = ("oauth_token", "client_id")


async def credentials_from_form(scope: Any, receive: Receive) -> tuple[dict[str, str], Receive]:
    """Credentials found in a form body, and a `receive` that replays what was read.

    A url-encoded body is read up to 64 KiB. Of a multipart body only the leading text fields
    are read (the legacy SDK, like every `requests` caller, sends them before the files),
    stopping at the first file part, once both credentials are found, or at 64 KiB: an upload
    is never buffered here, the handler streams it as it would have. Anything else is left
    untouched.
    """
    raw_type = dict(scope["headers"]).get(b"content-type", b"")
    media_type = raw_type.split(b";")[0].strip().lower()
    if media_type == FORM:
        return await _urlencoded(receive)
    if media_type == MULTIPART.encode():
        boundary = parse_options_header(raw_type.decode("latin-1"))[1].get("boundary")
        if boundary:
            return await _multipart(receive, boundary)
    return {}, receive


async def _urlencoded(receive: Receive) -> tuple[dict[str, str], Receive]:
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
    return found, _replay(messages, receive)


async def _multipart(receive: Receive, boundary: str) -> tuple[dict[str, str], Receive]:
    messages: list[Any] = []
    found: dict[str, str] = {}
    parser = PushMultipartParser(boundary, max_segment_size=MAX_FORM_BYTES)
    field: str | None = None
    value = bytearray()
    read = 0
    done = False
    try:
        while not done:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            read += len(chunk)
            for event in parser.parse(chunk):
                if isinstance(event, MultipartSegment):
                    if event.filename is not None:  # the files follow: stop reading
                        done = True
                        break
                    field, value = event.name, bytearray()
                elif event is None:
                    if field in CREDENTIAL_FIELDS and value:
                        found[field] = value.decode("latin-1")
                    field = None
                elif field in CREDENTIAL_FIELDS:
                    value += event
            if len(found) == len(CREDENTIAL_FIELDS) or read > MAX_FORM_BYTES:
                break
            if not message.get("more_body"):
                break
    except MultipartError:
        pass  # not ours to judge: the handler's form parsing answers a malformed body
    return found, _replay(messages, receive)


def _replay(messages: list[Any], receive: Receive) -> Receive:
    async def replay() -> Any:
        if messages:
            return messages.pop(0)
        return await receive()

    return replay
