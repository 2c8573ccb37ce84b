"""Error mapping in one place: VAS errors and edge errors to HTTP statuses; BFFs pick the body."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, NotFoundException, ValidationException

from app.faults import DependencyUnavailable
from app.value_added.common.errors import (
    Conflict,
    InvalidArgument,
    NotFound,
    PayloadTooLarge,
    PermissionDenied,
    ResourceExhausted,
    ServiceError,
    Unauthenticated,
    Unavailable,
    Unprocessable,
    UnsupportedMediaType,
)

STATUS_BY_ERROR: dict[type[ServiceError], int] = {
    InvalidArgument: 400,
    Unauthenticated: 401,
    PermissionDenied: 403,
    NotFound: 404,
    Conflict: 409,
    PayloadTooLarge: 413,
    UnsupportedMediaType: 415,
    Unprocessable: 422,
    ResourceExhausted: 429,
    Unavailable: 503,
}


class ErrorInfo(msgspec.Struct, frozen=True):
    """Everything a BFF needs to render an error in its own format."""

    status: int
    reason: str
    message: str
    field: str | None = None
    extra: dict[str, Any] = {}


class EdgeError(Exception):
    """An error raised by the edge itself (authentication, entitlements, rate limits)."""

    def __init__(
        self,
        status: int,
        reason: str,
        message: str,
        *,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.info = ErrorInfo(status, reason, message, field, extra or {})
        self.headers = headers or {}


ErrorFormat = Callable[[ErrorInfo, Request[Any, Any, Any]], Any]
"""A BFF's error body: takes the error and the request, returns a JSON-serialisable body."""


def plain_error_format(info: ErrorInfo, _request: Request[Any, Any, Any]) -> Any:
    body: dict[str, Any] = {"status": info.status, "reason": info.reason, "message": info.message}
    if info.field:
        body["field"] = info.field
    return body | info.extra


def status_line(status: int) -> str:
    """`404 - Not Found`: a status code with its reason phrase, as SoundCloud's bodies carry it."""
    try:
        return f"{status} - {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def status_of(error: ServiceError) -> int:
    for kind, status in STATUS_BY_ERROR.items():
        if isinstance(error, kind):
            return status
    return 500


def info_of(exc: Exception) -> tuple[ErrorInfo, dict[str, str]]:
    """Map any exception reaching the edge to an ErrorInfo (and extra response headers)."""
    if isinstance(exc, EdgeError):
        return exc.info, exc.headers
    if isinstance(exc, ServiceError):
        return ErrorInfo(status_of(exc), exc.reason, exc.message, exc.field), {}
    if isinstance(exc, ValidationException):
        return _validation_info(exc), {}
    if isinstance(exc, NotFoundException):
        return ErrorInfo(404, "not_found", "no such resource"), {}
    if isinstance(exc, HTTPException):
        reasons = {405: "method_not_allowed", 413: "body_too_large"}
        reason = reasons.get(exc.status_code, "http_error")
        return ErrorInfo(exc.status_code, reason, str(exc.detail)), dict(exc.headers or {})
    if isinstance(exc, DependencyUnavailable):
        return unavailable_info(exc), {"Retry-After": str(exc.retry_after)}
    return ErrorInfo(500, "internal", "internal server error"), {}


def unavailable_info(exc: DependencyUnavailable) -> ErrorInfo:
    """A dependency (the database) is unreachable: 503, try again after Retry-After."""
    return ErrorInfo(
        503, "service_unavailable", f"the service is unavailable ({exc}); try again shortly"
    )


def _validation_info(exc: ValidationException) -> ErrorInfo:
    extra = exc.extra if isinstance(exc.extra, list) else []
    first = extra[0] if extra and isinstance(extra[0], dict) else {}
    field = first.get("key")
    detail = first.get("message") or str(exc.detail)
    message = f"invalid {field}: {detail}" if field else str(exc.detail)
    return ErrorInfo(400, "invalid_argument", message, field)


def exception_handler(
    fmt: ErrorFormat,
) -> Callable[[Request[Any, Any, Any], Exception], Response[Any]]:
    """A Litestar exception handler rendering every error with the BFF's format."""

    def handle(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        info, headers = info_of(exc)
        if isinstance(exc, DependencyUnavailable):
            request.logger.warning("answered 503: %s", exc)
        elif info.status >= 500:
            request.logger.exception("unhandled error", exc_info=exc)
        return Response(fmt(info, request), status_code=info.status, headers=headers)

    return handle
