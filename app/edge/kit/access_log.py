"""The request line: one per request a BFF answers, in the process's log format (replacing
the server's own access log): request id, trace id, BFF, route template, method, status,
duration, the calling app's client_id and the user id."""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

from opentelemetry import trace

from app.edge.kit.log_format import REQUEST_LOGGER

ACCESS = logging.getLogger(REQUEST_LOGGER)
SERVER_ACCESS_LOGGERS = ("uvicorn.access", "granian.access")
MESSAGE = "%s %s %s"


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
    ACCESS.handle(_record(args, fields))


def _record(args: tuple[Any, ...], fields: dict[str, Any]) -> logging.LogRecord:
    """The request line's record: what `Logger.makeRecord` makes of it (less the caller lookup
    of `Logger.info`, a walk of the stack per line: the record says where request lines come
    from), copied from the first one this thread made with only its time and fields its own
    (no file name split, thread and process look-ups per line). A process with another record
    factory, or a Python whose records name their asyncio task, gets makeRecord's each time."""
    now = time.time()
    template = _templates.get(threading.get_ident())
    if template is None or logging.getLogRecordFactory() is not logging.LogRecord:
        made = ACCESS.makeRecord(
            ACCESS.name, logging.INFO, __file__, 0, MESSAGE, args, None, "log_request", fields
        )
        if logging.getLogRecordFactory() is not logging.LogRecord or "taskName" in vars(made):
            return made
        _templates[threading.get_ident()] = {k: v for k, v in vars(made).items() if k not in fields}
        return made
    record = logging.LogRecord.__new__(logging.LogRecord)
    line = record.__dict__
    line.update(template)
    line.update(fields)
    line["args"] = args
    line["created"] = now
    line["msecs"] = int((now - int(now)) * 1000) + 0.0  # (as LogRecord: gh-89047)
    line["relativeCreated"] = template["relativeCreated"] + (now - template["created"]) * 1000
    return record


_templates: dict[int, dict[str, Any]] = {}
"""The first request record of each thread, as makeRecord made it (by thread id)."""
os.register_at_fork(after_in_child=_templates.clear)  # (a child has another process id)
