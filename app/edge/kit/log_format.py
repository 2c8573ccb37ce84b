"""One log format for every line the process writes (its own, the libraries', the request
lines): JSON for machines, or a readable console format, rendered by structlog."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
import time
from typing import Any

import structlog
from litestar.logging.config import LoggingConfig

from app.edge.kit.redaction import redact_event, redacted, redacted_recurring

REQUEST_FIELDS = (
    "request_id", "trace_id", "bff", "route", "method", "status", "duration_ms", "client_id",
    "user_id",
)  # fmt: skip
"""What a request line carries (never a query string: credentials cannot reach it)."""


def default_format() -> str:
    """`json` unless a person is watching (stderr is a terminal)."""
    return "console" if sys.stderr.isatty() else "json"


def formatter(log_format: str) -> logging.Formatter:
    """A stdlib formatter rendering each record (and its request fields) as `log_format`,
    every text of it without credential values (kit.redaction)."""
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer()
        if log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    kind = _RequestLines if log_format == "json" else structlog.stdlib.ProcessorFormatter
    return kind(
        foreign_pre_chain=[
            structlog.stdlib.add_log_level,
            structlog.stdlib.add_logger_name,
            structlog.stdlib.ExtraAdder(allow=REQUEST_FIELDS),
            structlog.processors.TimeStamper(fmt="iso", utc=True),
        ],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            redact_event,  # (last: the traceback is text by now)
            renderer,
        ],
    )


REQUEST_LOGGER = "soundstack.access"
"""The logger of the request lines (kit.access_log), rendered by `_RequestLines`' short path."""
_RECURRING = frozenset({"event", "level", "logger", "bff", "route", "method", "client_id"})
"""A request line's texts drawn from a bounded set (redaction remembered for them); the
request and trace ids are redacted each time."""
_ABSENT = object()
_ENCODE = json.JSONEncoder().encode
_STRING = json.encoder.encode_basestring_ascii
"""What _ENCODE writes of a text (json's C function, without the encoder's dispatch)."""
"""What JSONRenderer's `json.dumps` writes, for the texts and numbers of a request line."""


class _RequestLines(structlog.stdlib.ProcessorFormatter):
    """The JSON formatter, with a short path for request lines (one per request): the same
    line the processors render — `event`, `level`, `logger`, the request fields present,
    `timestamp`, every text without credential values — built directly, without copying the
    record and running the processor chain. Other records take the chain."""

    def format(self, record: logging.LogRecord) -> str:
        if record.name != REQUEST_LOGGER or record.exc_info or record.stack_info:
            return super().format(record)
        fields = record.__dict__
        line: dict[str, Any] = {
            "event": redacted_recurring(record.getMessage()),
            "level": redacted_recurring(record.levelname.lower()),
            "logger": redacted_recurring(record.name),
        }
        for name in REQUEST_FIELDS:
            value = fields.get(name, _ABSENT)
            if value is _ABSENT:
                continue
            if isinstance(value, str):
                value = redacted_recurring(value) if name in _RECURRING else redacted(value)
            line[name] = value
        line["timestamp"] = _timestamp()
        return _ENCODE(line)


def renders_request_lines(formatter: logging.Formatter | None) -> bool:
    """Is `formatter` the JSON one, which `request_line` stands for?"""
    return type(formatter) is _RequestLines


def _timestamp() -> str:
    # (digits, '-', ':', '.', 'T', 'Z': nothing redaction could match)
    return dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z")


def request_line(
    message: tuple[str, tuple[str, str, int]],
    request_id: str,
    trace_id: str | None,
    fixed: tuple[str, str, str, int, str | None],
    duration_ms: float,
    user_id: int | None,
) -> str:
    """What `_RequestLines` renders of a request line's record with every request field, once
    the handler's filters ran (its message redacted, its request id the context's): `message`
    is the record's (format, arguments), and `fixed` (bff, route, method, status, client_id);
    both come from bounded sets, so their part of the line is redacted and encoded once and
    remembered."""
    key = (message, fixed)
    parts = _line_parts.get(key)
    if parts is None:
        if len(_line_parts) >= _LINE_PARTS_MAX:
            _line_parts.clear()
        parts = _line_parts[key] = _parts(message[0] % message[1], *fixed)
    head, middle, tail = parts
    trace = "null" if trace_id is None else _STRING(redacted(trace_id))
    user = "null" if user_id is None else int.__repr__(user_id)
    return (
        f'{head}{_STRING(redacted(request_id))}, "trace_id": {trace}{middle}'
        f'{float.__repr__(duration_ms)}{tail}{user}, "timestamp": "{_now()}"}}'
    )  # (a finite float and an int are written as json writes them: their repr)


def _now() -> str:
    """_timestamp() from time.time(), its date and time of day formatted once a second."""
    now = time.time()
    second = int(now)
    if _second[0] != second:
        _second[:] = [second, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))]
    micro = int((now - second) * 1_000_000)
    return f"{_second[1]}.{micro:06d}Z" if micro else f"{_second[1]}Z"  # (as isoformat)


_second: list[Any] = [None, ""]
"""The second _now formatted last, and its text."""


def _parts(
    message: str, bff: str, route: str, method: str, status: int, client_id: str | None
) -> tuple[str, str, str]:
    """A request line's JSON around its request id, its duration and its user id."""
    event = redacted_recurring(redacted_recurring(message))  # (the filter's, the formatter's)
    level, logger = redacted_recurring("info"), redacted_recurring(REQUEST_LOGGER)
    client = None if client_id is None else redacted_recurring(client_id)
    head = f'{{"event": {_ENCODE(event)}, "level": {_ENCODE(level)}, '
    head += f'"logger": {_ENCODE(logger)}, "request_id": '
    middle = f', "bff": {_ENCODE(redacted_recurring(bff))}, '
    middle += f'"route": {_ENCODE(redacted_recurring(route))}, '
    middle += f'"method": {_ENCODE(redacted_recurring(method))}, "status": {_ENCODE(status)}, '
    middle += '"duration_ms": '
    tail = f', "client_id": {_ENCODE(client)}, "user_id": '
    return head, middle, tail


_LINE_PARTS_MAX = 4096
_line_parts: dict[tuple[Any, ...], tuple[str, str, str]] = {}
"""request_line's parts by message and fixed fields (the memory cleared when full)."""


def server_formatter() -> logging.Formatter:
    """The formatter of the server's own lines (granian's start-up and worker lines, through
    `--log-config deploy/granian-logging.json`): LOG_FORMAT's, as the app's lines are."""
    chosen = os.environ.get("LOG_FORMAT", "").strip().lower()
    return formatter(chosen if chosen in ("json", "console") else default_format())


def litestar_logging() -> LoggingConfig:
    """Litestar's logging left to the process: its `litestar` logger propagates to our root
    handler (one format, request ids, redaction) and nothing of Litestar's touches the root."""
    return LoggingConfig(
        configure_root_logger=False,
        handlers={},
        formatters={},
        loggers={"litestar": {"level": "INFO", "propagate": True, "handlers": []}},
    )
