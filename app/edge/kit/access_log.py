"""The request line: one per request a BFF answers, in the process's log format (replacing
the server's own access log): request id, trace id, BFF, route template, method, status,
duration, the calling app's client_id and the user id."""

from __future__ import annotations

import logging
from typing import Any

from opentelemetry import trace

from app.edge.kit.log_format import REQUEST_LOGGER

ACCESS = logging.getLogger(REQUEST_LOGGER)
SERVER_ACCESS_LOGGERS = ("uvicorn.access", "granian.access")


def silence_server_access_logs() -> None:
    """Ours replaces the servers' access lines (one format, no raw query strings)."""
    for name in SERVER_ACCESS_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)  # (never emits)


def log_request(scope: Any, bff: str, route: str, status: int, seconds: float) -> None:
    if not ACCESS.isEnabledFor(logging.INFO):
        return
    state = scope.get("state") or {}
    caller = state.get("caller")
    span = trace.get_current_span().get_span_context()
    fields = {
        "request_id": state.get("request_id", "-"),
        "trace_id": f"{span.trace_id:032x}" if span.is_valid else None,
        "bff": bff,
        "route": route,
        "method": scope["method"],
        "status": status,
        "duration_ms": round(seconds * 1000, 2),
        "client_id": caller.app.client_id if caller is not None else None,
        "user_id": caller.user_id if caller is not None else None,
    }
    args = (scope["method"], scope.get("root_path", "") + route, status)  # (subsonic's /rest)
    # Logger.info less its caller lookup (a walk of the stack per line): the record says
    # where request lines come from, and goes through the logger's filters and handlers.
    record = ACCESS.makeRecord(
        ACCESS.name, logging.INFO, __file__, 0, "%s %s %s", args, None, "log_request", fields
    )
    ACCESS.handle(record)
