"""The Mobile API's error body: `{"error": {"code", "message", "field"}}`."""

from __future__ import annotations

from typing import Any

from litestar import Request

from app.edge.kit.errors import ErrorInfo


def mobile_error(info: ErrorInfo, _request: Request[Any, Any, Any]) -> Any:
    error: dict[str, Any] = {"code": info.reason, "message": info.message, "field": info.field}
    return {"error": error | info.extra}


ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": "machine-readable reason"},
                "message": {"type": "string"},
                "field": {"type": ["string", "null"], "description": "the input that was wrong"},
            },
        }
    },
}
"""The body of every error (mobile_error)."""
