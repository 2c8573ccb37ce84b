"""One log format for every line the process writes (its own, the libraries', the request
lines): JSON for machines, or a readable console format, rendered by structlog."""

from __future__ import annotations

import logging
import os
import sys

import structlog
from litestar.logging.config import LoggingConfig

from app.edge.kit.redaction import redact_event

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
    return structlog.stdlib.ProcessorFormatter(
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
