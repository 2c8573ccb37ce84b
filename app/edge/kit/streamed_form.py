"""Request bodies read as they arrive, never whole: a multipart form's text fields bounded small
(MAX_FIELD_BYTES each, refused with 413 `field_too_large` naming the field as soon as one passes
it), its file part handed on chunk by chunk, and other bodies bounded by the non-upload limit.

What the gateway bounds (kit.body_limit) is the whole body; this bounds each part of it, so an
upload's allowance (hundreds of MB) is only ever spent on the file, streamed to storage."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any

import multipart  # type: ignore[import-untyped]
from litestar import Request

from app.edge.kit.body_limit import DEFAULT_MAX_BODY_BYTES, too_large
from app.edge.kit.errors import EdgeError

MULTIPART = "multipart/form-data"
MAX_FIELD_BYTES = 64 * 1024
"""The most a text field of a multipart form may have (a 10,000-character description is at
most 40,000 bytes of UTF-8)."""
MAX_PARTS = 64
"""The most parts a multipart form may have."""
Req = Request[Any, Any, Any]


def invalid_body(message: str, field: str | None = None) -> EdgeError:
    return EdgeError(400, "invalid_body", message, field=field)


def multipart_boundary(request: Req) -> str | None:
    """The boundary of a multipart/form-data body; None for any other body."""
    kind, options = multipart.parse_options_header(request.headers.get("content-type", ""))
    if kind != MULTIPART:
        return None
    if not options.get("boundary"):
        raise invalid_body("a multipart/form-data body needs a boundary")
    return str(options["boundary"])


async def bounded_body(request: Req, limit: int = DEFAULT_MAX_BODY_BYTES) -> bytes:
    """The whole body of a request that is not a multipart form, read up to `limit` bytes:
    a longer one is refused (413 `body_too_large`) as soon as it passes the limit."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise too_large(limit, "body_too_large")
    return bytes(body)


class FilePart:
    """A file part of a streamed form: its header, then its bytes (`chunks`, once)."""

    def __init__(self, segment: Any, events: AsyncGenerator[Any, None]) -> None:
        self.name = str(segment.name or "")
        self.filename = str(segment.filename or "")
        self.content_type = str(segment.content_type or "application/octet-stream")
        self._events = events

    async def chunks(self) -> AsyncIterator[bytes]:
        """The file's bytes as they arrive; then the rest of the body, where only other files
        (skipped) may follow: a text field after the file is refused (400 `field_after_file`)
        before the last chunk is handed on, so whatever consumes the file never completes."""
        async for event in self._events:
            if event is None:
                break
            yield bytes(event)
        await _only_files_follow(self._events)


class StreamedForm:
    """The parts of one multipart/form-data body, read as the body arrives."""

    def __init__(self, request: Req, boundary: str) -> None:
        self._events = _events(request, boundary)

    async def fields_until(
        self, file_field: str | None
    ) -> tuple[list[tuple[str, str]], FilePart | None]:
        """The text fields before the file part named `file_field` (every text field when
        None, or when there is no such part) and that part, not yet read. Other file parts
        are skipped unread; each text field is bounded by MAX_FIELD_BYTES."""
        fields: list[tuple[str, str]] = []
        async for event in self._events:
            if event.filename is None:
                fields.append((event.name or "", await _text(self._events, event.name or "")))
            elif file_field is not None and event.name == file_field:
                return fields, FilePart(event, self._events)
            else:
                await _skip(self._events)
        return fields, None

    async def close(self) -> None:
        await self._events.aclose()


async def _events(request: Req, boundary: str) -> AsyncGenerator[Any, None]:
    try:
        with multipart.PushMultipartParser(boundary, max_segment_count=MAX_PARTS) as parser:
            async for chunk in request.stream():
                for event in parser.parse(chunk):
                    yield event
            for event in parser.parse(b""):
                yield event
    except multipart.MultipartError as exc:
        raise invalid_body(f"malformed multipart body: {exc}") from None


async def _text(events: AsyncGenerator[Any, None], name: str) -> str:
    """A text field's value, refused once it passes MAX_FIELD_BYTES."""
    value = bytearray()
    async for event in events:
        if event is None:
            break
        value += event
        if len(value) > MAX_FIELD_BYTES:
            raise EdgeError(
                413,
                "field_too_large",
                f"the form field {name!r} may have at most {MAX_FIELD_BYTES} bytes "
                "(send files as parts with a filename)",
                field=name,
                extra={"max_bytes": MAX_FIELD_BYTES},
            )
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        raise invalid_body(
            "form fields must be UTF-8 text; send files as parts with a filename", name
        ) from None


async def _skip(events: AsyncGenerator[Any, None]) -> None:
    async for event in events:
        if event is None:
            return


async def _only_files_follow(events: AsyncGenerator[Any, None]) -> None:
    async for event in events:
        if event.filename is None:
            raise EdgeError(
                400,
                "field_after_file",
                f"the form field {event.name!r} comes after the file: send the fields first",
                field=event.name or "",
            )
        await _skip(events)
