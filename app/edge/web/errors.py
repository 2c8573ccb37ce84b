"""api-v2 style error bodies: `{"code", "status": "404 - Not Found", "errors": [...]}`."""

from __future__ import annotations

from typing import Any

from litestar import Request

from app.edge.kit.errors import EdgeError, ErrorInfo, status_line


def web_error_format(info: ErrorInfo, _request: Request[Any, Any, Any]) -> Any:
    """The body api-v2 answers errors with, plus our machine-readable reason and field."""
    field = info.field or info.extra.get("field")
    error: dict[str, Any] = {"error_message": info.message, "reason": info.reason}
    if field:
        error["field"] = field
    body: dict[str, Any] = {
        "code": info.status,
        "status": status_line(info.status),
        "message": info.message,
        "reason": info.reason,
        "errors": [error],
        "error": None,
    }
    if field:
        body["field"] = field
    return body | {k: v for k, v in info.extra.items() if k != "field"}


def bad_request(reason: str, message: str, field: str) -> EdgeError:
    return EdgeError(400, reason, message, extra={"field": field})


def not_found(what: str) -> EdgeError:
    return EdgeError(404, "not_found", f"{what} not found")


def not_implemented(feature: str) -> EdgeError:
    return EdgeError(
        501,
        "not_implemented",
        f"{feature} are not supported by Soundstack's Web API",
    )


NOT_IMPLEMENTED = (
    "Always: this part of api-v2 is not part of Soundstack (`not_implemented`, in the error body)"
)
"""The description of the one answer (`status_code=501`, never a success) of the routes of
api-v2 that Soundstack deliberately leaves out."""


ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["code", "status", "message", "reason", "errors"],
    "properties": {
        "code": {"type": "integer", "description": "the HTTP status"},
        "status": {"type": "string", "description": "`404 - Not Found`"},
        "message": {"type": "string"},
        "reason": {"type": "string", "description": "machine-readable reason"},
        "field": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["error_message"],
                "properties": {"error_message": {"type": "string"}, "reason": {"type": "string"}},
            },
        },
    },
}
"""The body of every error (web_error_format)."""
