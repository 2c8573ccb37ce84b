"""SoundCloud's error body: `code`, `message`, `link`, `status`, `errors` (and rate-limit data)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Request

from app.edge.kit.errors import EdgeError, ErrorInfo, status_line
from app.value_added.common.errors import (
    InvalidArgument,
    PermissionDenied,
    Unprocessable,
    UnsupportedMediaType,
)

DOCS_LINK = "https://developers.soundcloud.com/docs/api/explorer/open-api"
AUTH_LINK = "https://developers.soundcloud.com/docs/api/guide#authentication"
RATE_LIMIT_LINK = "https://developers.soundcloud.com/docs/api/rate-limits#errors"


def soundcloud_error(info: ErrorInfo, _request: Request[Any, Any, Any]) -> Any:
    """The error body SoundCloud's public API documents (schemas Error / TooManyRequests)."""
    link = DOCS_LINK
    if info.status == 429:
        link = RATE_LIMIT_LINK
    elif info.status == 401:
        link = AUTH_LINK
    body: dict[str, Any] = {
        "code": info.status,
        "message": info.message,
        "link": link,
        "status": status_line(info.status),
        "error": info.reason,
        "errors": [{"error_message": info.message}],
    }
    if info.field:
        body["field"] = info.field
    return body | info.extra


@asynccontextmanager
async def unprocessable() -> AsyncIterator[None]:
    """Commands whose contract answers refusals with 422 (comments, follows)."""
    try:
        yield
    except (InvalidArgument, PermissionDenied) as exc:
        raise EdgeError(422, exc.reason, exc.message) from exc


@asynccontextmanager
async def as_unprocessable() -> AsyncIterator[None]:
    """An asset the media pipeline cannot take is SoundCloud's 422 on upload."""
    try:
        yield
    except (UnsupportedMediaType, Unprocessable) as exc:
        raise EdgeError(422, exc.reason, exc.message) from exc


ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["code", "message", "status", "error", "errors"],
    "properties": {
        "code": {"type": "integer", "description": "the HTTP status"},
        "message": {"type": "string"},
        "link": {"type": "string"},
        "status": {"type": "string", "description": "`404 - Not Found`"},
        "error": {"type": "string", "description": "machine-readable reason"},
        "field": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {"type": "object", "properties": {"error_message": {"type": "string"}}},
        },
    },
}
"""The body of every error (soundcloud_error, SoundCloud's documented Error)."""
