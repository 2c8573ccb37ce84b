"""No credential reaches a log line: access-log records lose the values of p, t, s, apiKey and
the OAuth secrets, whatever logger or handler they pass through."""

from __future__ import annotations

import io
import logging

from app.edge.kit import redaction
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


def test_passwords_in_urls_members_and_authorization_values_are_redacted() -> None:
    assert redacted("redis://:pw1@cache:6379/0") == "redis://:[redacted]@cache:6379/0"
    assert redacted("postgresql+asyncpg://app:pw2@db/x") == (
        "postgresql+asyncpg://app:[redacted]@db/x"
    )
    assert redacted("https://example.org:8443/path") == "https://example.org:8443/path"
    assert redacted("{'password': 'pw3', 'n': 1}") == "{'password': \"[redacted]\", 'n': 1}"
    assert redacted('{"secret_token":"s-1","title":"x"}') == (
        '{"secret_token":"[redacted]","title":"x"}'
    )
    assert redacted("Authorization: Bearer abc.def") == "Authorization: Bearer [redacted]"
    assert redacted("sent password=pw4 and token=t5") == (
        "sent password=[redacted] and token=[redacted]"
    )
    once = redacted("/x?oauth_token=abc&s=1")
    assert redacted(once) == once == "/x?oauth_token=[redacted]&s=[redacted]"


def test_records_with_any_arguments_and_exceptions_are_redacted() -> None:
    class Dsn:
        def __str__(self) -> str:
            return "redis://:pw6@cache"

    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "%s %s", (Dsn(), 7), None)
    try:
        raise RuntimeError("postgres://u:pw7@db")
    except RuntimeError:
        import sys

        record.exc_info = sys.exc_info()
    assert RedactCredentials().filter(record)
    assert record.getMessage() == "redis://:[redacted]@cache 7"
    assert record.exc_text is not None and "pw7" not in record.exc_text
    assert "postgres://u:[redacted]@db" in record.exc_text


def test_recurring_texts_are_redacted_as_any_text_and_remembered_within_a_bound() -> None:
    texts = [
        "GET /public/tracks/{track_urn:str} 200",
        "GET /rest/stream.view?u=ana&t=0a1b 200",
        'client "password": "hunter2"',
        "Bearer abc.def",
    ]
    for text in texts:
        assert redaction.redacted_recurring(text) == redacted(text)
        assert redaction.redacted_recurring(text) == redacted(text)  # (remembered)
    for n in range(redaction._RECURRING_MAX + 10):
        redaction.redacted_recurring(f"GET /x/{n} 200")
    assert len(redaction._recurring) <= redaction._RECURRING_MAX
