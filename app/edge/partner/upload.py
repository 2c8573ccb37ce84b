"""`POST /creators/{id}/tracks/upload`: multipart/form-data streamed into the media pipeline.

The body is parsed as it arrives (never buffered whole): form fields before the `file` part are
read (a `metadata` part holds the track's JSON, as for POST …/tracks; each at most
MAX_FIELD_BYTES), then the `file` part's bytes are handed to the pipeline chunk by chunk. So
Litestar's whole-body limit is off here: the pipeline bounds the file by MAX_UPLOAD_BYTES (413
`upload_too_large`, nothing stored) and nothing after the file part is read.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any

import msgspec
import multipart  # type: ignore[import-untyped]
from litestar import Request, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from app.edge.kit.caller import Caller
from app.edge.kit.context import EdgeContext
from app.edge.partner import bodies, representations
from app.edge.partner.common import CATALOG, track_at
from app.edge.partner.params import audit_context, bad
from app.value_added.common.errors import UnsupportedMediaType

MAX_FIELD_BYTES = 64 * 1024
Event = Any
"""A parser event: a segment header, a bytes chunk of its body, or None at its end."""


def _boundary(request: Request[Any, Any, Any]) -> str:
    kind, options = multipart.parse_options_header(request.headers.get("content-type", ""))
    if kind != "multipart/form-data" or not options.get("boundary"):
        raise UnsupportedMediaType(
            "upload as multipart/form-data with a `file` part", reason="multipart_required"
        )
    return str(options["boundary"])


async def _events(request: Request[Any, Any, Any], boundary: str) -> AsyncGenerator[Event, None]:
    try:
        with multipart.PushMultipartParser(boundary, max_segment_count=16) as parser:
            async for chunk in request.stream():
                if chunk:
                    for event in parser.parse(chunk):
                        yield event
            for event in parser.parse(b""):
                yield event
    except multipart.MultipartError as exc:
        raise bad("file", f"malformed multipart body: {exc}") from None


async def _fields_until_file(events: AsyncIterator[Event]) -> tuple[dict[str, bytes], Any]:
    """The form fields before the `file` part, and the `file` part's header."""
    fields: dict[str, bytes] = {}
    name, value = "", bytearray()
    async for event in events:
        if isinstance(event, multipart.MultipartSegment):
            if event.name == "file":
                return fields, event
            name, value = str(event.name or ""), bytearray()
        elif event is None:
            fields[name] = bytes(value)
        else:
            value += event
            if len(value) > MAX_FIELD_BYTES:
                raise bad(name or "metadata", f"form fields are limited to {MAX_FIELD_BYTES} bytes")
    raise bad("file", "a `file` part is required (after the `metadata` part)")


async def _file_chunks(events: AsyncIterator[Event]) -> AsyncIterator[bytes]:
    async for event in events:
        if event is None:
            return
        yield bytes(event)


def _draft(fields: dict[str, bytes], filename: str) -> bodies.TrackCreate:
    raw = fields.get("metadata")
    if raw is None:
        title = (fields.get("title") or b"").decode() or filename.rsplit(".", 1)[0] or "Untitled"
        return bodies.TrackCreate(title=title)
    try:
        return msgspec.json.decode(raw, type=bodies.TrackCreate)
    except msgspec.ValidationError as exc:
        raise bad("metadata", str(exc)) from None
    except msgspec.DecodeError:
        raise bad("metadata", "must be a JSON object") from None


@post("/creators/{user_id:int}/tracks/upload", opt=CATALOG, request_max_body_size=None)
async def upload_track(
    request: Request[Any, Any, Any],
    caller: NamedDependency[Caller],
    edge: NamedDependency[EdgeContext],
    user_id: FromPath[int],
) -> representations.PartnerTrack:
    creator = edge.services.creator
    creator.require_catalog(caller.viewer, user_id)
    events = _events(request, _boundary(request))
    try:
        fields, file_part = await _fields_until_file(events)
        filename = str(file_part.filename or "upload")
        track = await creator.upload_audited(
            caller.viewer,
            user_id,
            _draft(fields, filename),
            _file_chunks(events),
            filename,
            str(file_part.content_type or "application/octet-stream"),
            audit=audit_context(request, caller),
        )
    finally:
        await events.aclose()
    return track_at(request, track)


ROUTES = [upload_track]
