"""Streamed multipart uploads: the form fields before the `file` part, then the file's bytes
chunk by chunk (never buffered whole), and the body as the document describes it."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any

import msgspec
import multipart  # type: ignore[import-untyped]
from litestar import Request
from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIType,
    Reference,
    RequestBody,
    Schema,
)
from litestar.openapi.spec.encoding import Encoding

from app.edge.kit import bounds
from app.edge.partner.params.bodies import NOT_BLANK, Title, TrackCreate
from app.edge.partner.params.query import bad
from app.value_added.catalog.validation import MAX_TITLE
from app.value_added.common.errors import UnsupportedMediaType

MAX_FIELD_BYTES = 64 * 1024
UploadEvent = Any
"""A multipart parser event: a segment header, a bytes chunk of its body, or None at its end."""
UPLOAD_BODY = RequestBody(
    required=True,
    description=(
        "multipart/form-data, read in order: the form fields first (`metadata`, the new "
        "track's JSON as for POST …/tracks, or only a `title`; without either the title is the "
        "file's name), then the `file` part, streamed; parts after it are not read. A body of "
        "another media type is a 415 `multipart_required`, a file in no audio format a 415 "
        "`unsupported_format` (one that does not decode a 422); each field is at most "
        f"{MAX_FIELD_BYTES} bytes, the file at most the server's upload limit (413 "
        "`upload_too_large`)."
    ),
    content={
        "multipart/form-data": OpenAPIMediaType(
            schema=Schema(
                type=OpenAPIType.OBJECT,
                required=["file"],
                properties={
                    "metadata": Reference(ref="#/components/schemas/TrackCreate"),
                    "title": Schema(
                        type=OpenAPIType.STRING,
                        max_length=MAX_TITLE,
                        pattern=f"^$|{NOT_BLANK}",
                        description="the title, when there is no `metadata`",
                    ),
                    "file": Schema(
                        type=OpenAPIType.STRING,
                        format=OpenAPIFormat.BINARY,
                        content_media_type="audio/*",
                        description="the audio, in any format the server decodes (MP3, WAV, "
                        "FLAC, Ogg, AAC …)",
                    ),
                },
            ),
            encoding={
                "metadata": Encoding(content_type="application/json"),
                "file": Encoding(content_type="audio/*"),
            },
        )
    },
)


def upload_boundary(request: Request[Any, Any, Any]) -> str:
    kind, options = multipart.parse_options_header(request.headers.get("content-type", ""))
    if kind != "multipart/form-data" or not options.get("boundary"):
        raise UnsupportedMediaType(
            "upload as multipart/form-data with a `file` part", reason="multipart_required"
        )
    return str(options["boundary"])


async def upload_events(
    request: Request[Any, Any, Any], boundary: str
) -> AsyncGenerator[UploadEvent, None]:
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


async def fields_until_file(events: AsyncIterator[UploadEvent]) -> tuple[dict[str, bytes], Any]:
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


async def file_chunks(events: AsyncIterator[UploadEvent]) -> AsyncIterator[bytes]:
    async for event in events:
        if event is None:
            return
        yield bytes(event)


def upload_draft(fields: dict[str, bytes], filename: str) -> TrackCreate:
    bounds.text(filename, "file")
    raw = fields.get("metadata")
    if raw is None:
        title = _decoded(fields.get("title") or b"", "title", Title)
        return TrackCreate(title=title or filename.rsplit(".", 1)[0] or "Untitled")
    bounds.json_text(raw, "metadata")
    try:
        return msgspec.json.decode(raw, type=TrackCreate)
    except msgspec.ValidationError as exc:
        raise bad("metadata", str(exc)) from None
    except msgspec.DecodeError:
        raise bad("metadata", "must be a JSON object") from None


def _decoded(raw: bytes, field: str, kind: Any) -> str:
    """A form field's text as `kind` admits it (the empty text passes)."""
    try:
        text = bounds.text(raw.decode(), field)
        return text and msgspec.convert(text, type=kind)
    except UnicodeDecodeError:
        raise bad(field, "must be UTF-8 text") from None
    except msgspec.ValidationError as exc:
        raise bad(field, str(exc)) from None
