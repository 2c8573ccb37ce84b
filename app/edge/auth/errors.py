"""OAuth error bodies (RFC 6749 §5.2) for every error this server returns as JSON."""

from __future__ import annotations

from typing import Any

from litestar import Request

from app.edge.kit.errors import EdgeError, ErrorInfo
from app.value_added.common.errors import ServiceError

OAUTH_ERRORS = frozenset(
    {
        "invalid_request",
        "invalid_client",
        "invalid_grant",
        "unauthorized_client",
        "unsupported_grant_type",
        "invalid_scope",
        "invalid_token",
        "unsupported_token_type",
        "access_denied",
        "server_error",
        "temporarily_unavailable",
    }
)
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
CLIENT_CHALLENGE = 'Basic realm="soundstack", charset="UTF-8"'


def error_code(info: ErrorInfo) -> str:
    """The RFC 6749 / RFC 6750 error code for any edge error."""
    if info.reason in OAUTH_ERRORS:
        return info.reason
    if info.status >= 500:
        return "temporarily_unavailable" if info.status == 503 else "server_error"
    if info.status == 401:
        return "invalid_token"
    if info.status in (400, 405, 413, 415, 422):
        return "invalid_request"
    return info.reason


def oauth_error_format(info: ErrorInfo, _request: Request[Any, Any, Any]) -> Any:
    """`{"error", "error_description"}`: the body of every JSON error of /auth."""
    return {"error": error_code(info), "error_description": info.message}


def oauth_error(code: str, description: str) -> EdgeError:
    """An OAuth error response: 401 + WWW-Authenticate for invalid_client, 400 otherwise."""
    headers = dict(NO_STORE)
    status = 400
    if code == "invalid_client":
        status = 401
        headers["WWW-Authenticate"] = CLIENT_CHALLENGE
    return EdgeError(status, code, description, headers=headers)


def from_service(exc: ServiceError) -> EdgeError:
    """An identity error as the token endpoint's OAuth error."""
    code = exc.reason if exc.reason in OAUTH_ERRORS else "invalid_request"
    return oauth_error(code, exc.message)


ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error", "error_description"],
    "properties": {
        "error": {"type": "string", "description": "RFC 6749 error code"},
        "error_description": {"type": "string"},
    },
}
"""The body of every JSON error (oauth_error_format, RFC 6749 §5.2)."""
