"""Streaming responses for stored media: Range/206/416, HEAD, ETag/304 and cache headers."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from email.utils import format_datetime
from typing import Any
from urllib.parse import quote

from litestar import Request
from litestar.response import Stream

from app.edge.media import params
from app.value_added.media import MediaService, StoredObject

IMMUTABLE = "public, max-age=31536000, immutable"


def etag_of(obj: StoredObject) -> str:
    return f'"{obj.key.replace("/", "-")}-{obj.size:x}"'


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback and the RFC 8187 UTF-8 name."""
    fallback = re.sub(r"[^A-Za-z0-9._ -]", "_", filename) or "download"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def signed_cache_control(expires_at: dt.datetime, now: dt.datetime) -> str:
    """Content behind a signed URL never changes, but is only cached while the URL is valid."""
    seconds = max(0, int((expires_at - now).total_seconds()))
    return f"private, max-age={seconds}, immutable"


async def _empty() -> AsyncIterator[bytes]:
    nothing: tuple[bytes, ...] = ()
    for chunk in nothing:
        yield chunk


def _matches(header: str | None, tag: str) -> bool:
    if not header:
        return False
    return header.strip() == "*" or tag in [t.strip().removeprefix("W/") for t in header.split(",")]


def serve(
    request: Request[Any, Any, Any],
    media: MediaService,
    obj: StoredObject,
    cache_control: str,
    extra: dict[str, str] | None = None,
    body: bytes | None = None,
) -> Stream:
    """The object (or `body`, already rendered) honouring Range, HEAD and If-None-Match."""
    tag = etag_of(obj)
    size = len(body) if body is not None else obj.size
    headers = {
        "Accept-Ranges": "bytes",
        "ETag": tag,
        "Last-Modified": format_datetime(obj.modified_at, usegmt=True),
        "Cache-Control": cache_control,
        **(extra or {}),
    }
    head = request.method == "HEAD"
    if body is None and _matches(request.headers.get("if-none-match"), tag):
        return Stream(_empty(), status_code=304, headers=headers)
    try:
        wanted = params.parse(
            request.headers.get("range"), size, request.headers.get("if-range"), tag
        )
    except params.Unsatisfiable:
        headers["Content-Range"] = f"bytes */{size}"
        headers["Content-Length"] = "0"
        return Stream(_empty(), status_code=416, headers=headers)
    status, start, end = 200, 0, size - 1
    if wanted is not None:
        status, start, end = 206, wanted.start, wanted.end
        headers["Content-Range"] = wanted.content_range(size)
    headers["Content-Length"] = str(max(0, end - start + 1))
    if head or size == 0:
        content: AsyncIterator[bytes] = _empty()
    elif body is not None:
        content = _chunk(body[start : end + 1])
    else:
        content = media.read(obj.key, start, end)
    return Stream(content, status_code=status, headers=headers, media_type=obj.mime_type)


async def _chunk(data: bytes) -> AsyncIterator[bytes]:
    yield data
