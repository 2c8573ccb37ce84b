"""The Mobile API's error body: `{"error": {"code", "message", "field"}}`."""

from __future__ import annotations

from typing import Any

from litestar import Request

from app.edge.kit.errors import ErrorInfo


def mobile_error(info: ErrorInfo, _request: Request[Any, Any, Any]) -> Any:
    error: dict[str, Any] = {"code": info.reason, "message": info.message, "field": info.field}
    return {"error": error | info.extra}
