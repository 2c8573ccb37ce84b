"""No credential reaches a log line: access-log records lose the values of p, t, s, apiKey and
the OAuth secrets, whatever logger or handler they pass through."""

from __future__ import annotations

import io
import logging

from app.edge.kit.logs import RedactCredentials, install_credential_redaction, redacted


def test_credential_values_are_redacted_and_nothing_else() -> None:
    line = "GET /rest/stream.view?u=ana&t=0a1b&s=salt&apiKey=ssk_x&p=enc:41&id=tr-1 HTTP/1.1"
    assert redacted(line) == (
        "GET /rest/stream.view?u=ana&t=[redacted]&s=[redacted]&apiKey=[redacted]"
        "&p=[redacted]&id=tr-1 HTTP/1.1"
    )
    assert redacted("/auth/token?code=abc&client_secret=xyz") == (
        "/auth/token?code=[redacted]&client_secret=[redacted]"
    )
    assert redacted("/public/tracks?oauth_token=abc") == "/public/tracks?oauth_token=[redacted]"
    assert redacted("/web/search?q=tps&st=1") == "/web/search?q=tps&st=1"


def test_access_logger_records_are_redacted() -> None:
    logger = logging.getLogger("uvicorn.access")
    level = logger.level  # (the app silences it: its own request line replaces it)
    logger.setLevel(logging.INFO)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    try:
        install_credential_redaction()
        logger.warning(
            '%s - "%s %s HTTP/%s" %d', "1.2.3.4", "GET", "/rest/ping?t=9f&u=a", "1.1", 200
        )
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert "/rest/ping?t=[redacted]&u=a" in stream.getvalue()
    assert any(isinstance(f, RedactCredentials) for f in logger.filters)
