"""Request ids on every log line, and no credential in any: a context variable and logging
filters (access logs print query strings, where some clients put passwords and keys)."""

from __future__ import annotations

import logging

from app.edge.kit.access_log import request_id_var, silence_server_access_logs, write_directly
from app.edge.kit.log_format import REQUEST_LOGGER, default_format, formatter
from app.edge.kit.redaction import redacted, redacted_recurring


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (use `%(request_id)s` in the format)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


ACCESS_LOGGERS = ("uvicorn.access", "granian.access", "litestar")


class RedactCredentials(logging.Filter):
    """Renders a record's message with its arguments (whatever their type: a URL object, an
    exception, a dict) and its exception text, both without credential values."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, dict):  # (structlog's own: its processors redact it)
            return True
        try:
            message = record.getMessage()
        except Exception:  # (malformed arguments: logging reports them itself)
            return True
        # (a request line's message, method route status, is one of a bounded set)
        recurring = record.name == REQUEST_LOGGER
        record.msg = redacted_recurring(message) if recurring else redacted(message)
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redacted(record.exc_text)
        return True


def install_request_id_logging(level: int = logging.INFO, log_format: str | None = None) -> None:
    """Configure the root handler to print request ids in one format (`json` or `console`,
    kit.log_format), replace the servers' access lines by ours (kit.access_log), and keep
    credentials out of every handler of the root and of the servers' loggers (idempotent)."""
    root = logging.getLogger()
    if not any(isinstance(f, RequestIdFilter) for h in root.handlers for f in h.filters):
        handler = logging.StreamHandler()
        handler.setFormatter(formatter(log_format or default_format()))
        handler.addFilter(RequestIdFilter())
        root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # (/ready reads the migration state)
    silence_server_access_logs()
    install_credential_redaction()
    ours = [h for h in root.handlers if any(isinstance(f, RequestIdFilter) for f in h.filters)]
    if len(ours) == 1 and type(ours[0]) is logging.StreamHandler:
        known = (RequestIdFilter, RedactCredentials)  # (what request_line renders the result of)
        if tuple(type(f) for f in ours[0].filters) == known:
            write_directly(ours[0])


def install_credential_redaction() -> None:
    """Add RedactCredentials to the access loggers and to every handler of them and of the
    root logger (a handler filter sees records propagated from any logger)."""
    loggers = [logging.getLogger(name) for name in ACCESS_LOGGERS]
    for logger in loggers:
        if not any(isinstance(f, RedactCredentials) for f in logger.filters):
            logger.addFilter(RedactCredentials())
    for handler in [h for lg in [logging.getLogger(), *loggers] for h in lg.handlers]:
        if not any(isinstance(f, RedactCredentials) for f in handler.filters):
            handler.addFilter(RedactCredentials())
