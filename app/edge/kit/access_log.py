"""The request line: one per request a BFF answers, in the process's log format (replacing
the server's own access log): request id, trace id, BFF, route template, method, status,
duration, the calling app's client_id and the user id."""

from __future__ import annotations

import contextvars
import logging
import os
import threading
import time
from typing import Any

from opentelemetry import trace

from app.edge.kit.log_format import REQUEST_LOGGER, renders_request_lines, request_line

ACCESS = logging.getLogger(REQUEST_LOGGER)
SERVER_ACCESS_LOGGERS = ("uvicorn.access", "granian.access")
MESSAGE = "%s %s %s"
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
"""The request id of the request being answered (kit.logs puts it on every log line)."""


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
    method = scope["method"]
    trace_id = f"{span.trace_id:032x}" if span.is_valid else None
    duration_ms = round(seconds * 1000, 2)
    client_id = caller.app.client_id if caller is not None else None
    user_id = caller.user_id if caller is not None else None
    args = (method, scope.get("root_path", "") + route, status)  # (subsonic's /rest)
    handler = _direct_handler()
    if handler is not None:
        fixed = (bff, route, method, status, client_id)
        line = request_line((MESSAGE, args), request_id_var.get(), trace_id, fixed, duration_ms,
                            user_id)  # fmt: skip
        _write(handler, line, args)
        return
    fields = {
        "request_id": state.get("request_id", "-"),
        "trace_id": trace_id,
        "bff": bff,
        "route": route,
        "method": method,
        "status": status,
        "duration_ms": duration_ms,
        "client_id": client_id,
        "user_id": user_id,
    }
    ACCESS.handle(_record(args, fields))


def write_directly(handler: logging.StreamHandler[Any]) -> None:
    """Request lines may be written to `handler` (kit.logs' own) without a record, its filters
    and its formatter (`log_format.request_line` renders what they would) while it is the one
    handler they reach, with the filters it has now and the JSON formatter."""
    _direct[:] = [(handler, list(handler.filters))]


def _direct_handler() -> logging.StreamHandler[Any] | None:
    """The handler `write_directly` named, when a request line's record would reach it alone
    (no other logger or handler, filter or formatter in between) and pass its level."""
    if not _direct:
        return None
    handler, filters = _direct[0]
    root = logging.root
    if (
        ACCESS.handlers or ACCESS.filters or ACCESS.disabled or not ACCESS.propagate
        or ACCESS.parent is not root or len(root.handlers) != 1 or root.handlers[0] is not handler
        or type(handler) is not logging.StreamHandler or handler.filters != filters
        or handler.level > logging.INFO or not renders_request_lines(handler.formatter)
    ):  # fmt: skip
        return None
    return handler


def _write(handler: logging.StreamHandler[Any], line: str, args: tuple[Any, ...]) -> None:
    """What the handler's `handle` and `emit` do with the line (under its lock; a failure
    reported by its handleError)."""
    handler.acquire()
    try:
        handler.stream.write(line + handler.terminator)
        handler.flush()
    except RecursionError:  # (as emit)
        raise
    except Exception:
        handler.handleError(_record(args, {}))
    finally:
        handler.release()


_direct: list[tuple[logging.StreamHandler[Any], list[logging.Filter | Any]]] = []
"""The handler request lines may be written to directly, with its filters (write_directly)."""


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
