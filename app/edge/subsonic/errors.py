"""Subsonic errors: the protocol's codes, and every exception mapped to one of them.

Subsonic clients read failures from the `subsonic-response` envelope (`status="failed"` and an
`error` with a code), so failures are answered with HTTP 200 — except a server fault (a bug),
which is an HTTP 500 and is logged. A hidden item and a missing one give the same error 70.
"""

from __future__ import annotations

from typing import Any

from app.edge.kit.errors import EdgeError
from app.value_added.common.errors import (
    InvalidArgument,
    NotFound,
    PermissionDenied,
    ServiceError,
    Unauthenticated,
)

GENERIC = 0
MISSING_PARAMETER = 10
CLIENT_MUST_UPGRADE = 20
SERVER_MUST_UPGRADE = 30
WRONG_CREDENTIALS = 40
CONFLICTING_MECHANISMS = 43
INVALID_API_KEY = 44
NOT_AUTHORIZED = 50
NOT_FOUND = 70
# Never sent: 41 (token authentication unsupported: LDAP users, which Soundstack has not; every
# user may make a player password) and 42 (mechanism unsupported: every mechanism is).

NOT_FOUND_MESSAGE = "the requested data was not found"


class SubsonicError(Exception):
    """A failure answered in the Subsonic envelope with `code` and `message`."""

    def __init__(
        self,
        code: int,
        message: str,
        *,
        headers: dict[str, str] | None = None,
        status_code: int = 200,
    ):
        super().__init__(message)
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.status_code = status_code
        """200 but for a request that is no Subsonic call at all (a method no player uses)."""


def missing(name: str) -> SubsonicError:
    return SubsonicError(MISSING_PARAMETER, f"required parameter {name!r} is missing")


def not_found(message: str = NOT_FOUND_MESSAGE) -> SubsonicError:
    return SubsonicError(NOT_FOUND, message)


def invalid(name: str, why: str) -> SubsonicError:
    return SubsonicError(GENERIC, f"parameter {name!r} {why}")


def translated(exc: Exception) -> SubsonicError | None:
    """The Subsonic error for an exception raised below the handler; None for a server fault."""
    if isinstance(exc, SubsonicError):
        return exc
    if isinstance(exc, NotFound):
        return not_found()
    if isinstance(exc, PermissionDenied | Unauthenticated):
        return SubsonicError(NOT_AUTHORIZED, exc.message)
    if isinstance(exc, InvalidArgument):
        field = f" ({exc.field})" if exc.field else ""
        return SubsonicError(GENERIC, f"{exc.message}{field}")
    if isinstance(exc, ServiceError):
        return SubsonicError(GENERIC, exc.message)
    if isinstance(exc, EdgeError):
        return SubsonicError(GENERIC, exc.info.message, headers=exc.headers)
    return _framework(exc)


def _framework(exc: Exception) -> SubsonicError | None:
    """Litestar's own client errors (unreadable body …) as generic errors; an HTTP method no
    endpoint takes is no Subsonic call, and answered 405 (with `Allow`) besides."""
    from litestar.exceptions import HTTPException

    if isinstance(exc, HTTPException) and exc.status_code < 500:
        headers: dict[str, Any] = dict(exc.headers or {})
        status = 405 if exc.status_code == 405 else 200
        return SubsonicError(GENERIC, str(exc.detail), headers=headers, status_code=status)
    return None
