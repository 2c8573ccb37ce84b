"""One JSON log line per request with the fields an operator needs, and never a credential."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
import structlog

from app.edge.kit.access_log import ACCESS
from app.edge.kit.log_format import formatter
from app.edge.kit.logs import RedactCredentials, RequestIdFilter
from tests.e2e.conftest import Harness
from tests.factories import make_track


@pytest.fixture
def lines() -> Iterator[io.StringIO]:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(formatter("json"))
    handler.addFilter(RequestIdFilter())
    ACCESS.addHandler(handler)
    try:
        yield out
    finally:
        ACCESS.removeHandler(handler)


async def test_one_json_line_per_request_without_credentials(
    harness: Harness, lines: io.StringIO
) -> None:
    app, _ = await harness.new_app("logged app")
    user = await harness.new_user("logged_user")
    track = await make_track(harness.services.deps.db, user)
    token = await harness.user_token(app, user)
    first = await harness.client.get(
        f"/public/tracks/{track}", params={"client_id": app.client_id, "oauth_token": token}
    )
    assert first.status_code == 200
    second = await harness.client.get(
        "/mobile/tracks/999999999", headers={"Authorization": f"OAuth {token}"}
    )
    assert second.status_code == 404
    records = [json.loads(line) for line in lines.getvalue().splitlines()]
    assert len(records) == 2
    for record, response in zip(records, (first, second), strict=True):
        assert record["request_id"] == response.headers["x-request-id"]
        assert record["status"] == response.status_code and record["method"] == "GET"
        assert record["client_id"] == app.client_id and record["user_id"] == user
        assert record["duration_ms"] > 0 and record["level"] == "info" and record["timestamp"]
        assert record["route"].startswith("/tracks/{") and str(track) not in record["route"]
    assert [r["bff"] for r in records] == ["public", "mobile"]
    assert token not in lines.getvalue() and "oauth_token" not in lines.getvalue()


def test_console_format_is_readable() -> None:
    record = logging.LogRecord(
        "soundstack.access", logging.INFO, __file__, 1, "GET %s", ("/x",), None
    )
    record.status = 200
    text = formatter("console").format(record)
    assert "GET /x" in text and "status=200" in text and not text.startswith("{")


async def test_a_running_app_keeps_the_process_logging(harness: Harness) -> None:
    """Litestar's default logging config would replace the root handlers at start-up, taking
    the request ids, the one format and the credential redaction with them."""
    assert (await harness.client.get("/health")).status_code == 200
    handlers = logging.getLogger().handlers
    ours = [h for h in handlers if any(isinstance(f, RequestIdFilter) for f in h.filters)]
    assert ours, handlers
    assert any(isinstance(f, RedactCredentials) for f in ours[0].filters)


def test_request_lines_short_path_writes_what_the_processors_write() -> None:
    """The JSON formatter renders request lines without the processor chain: the same keys in
    the same order, the same values, credentials redacted as the chain redacts them."""
    fields = {
        "request_id": "r1", "trace_id": None, "bff": "public", "route": "/tracks/{id}",
        "method": "GET", "status": 200, "duration_ms": 1.25, "client_id": "c-1", "user_id": 7,
    }  # fmt: skip
    record = ACCESS.makeRecord(
        ACCESS.name, logging.INFO, __file__, 1, "GET %s?oauth_token=%s", ("/x", "s3cr"), None,
        extra=fields,
    )  # fmt: skip
    short = json.loads(formatter("json").format(record))
    chain = json.loads(structlog.stdlib.ProcessorFormatter.format(formatter("json"), record))
    assert list(short) == list(chain) == ["event", "level", "logger", *fields, "timestamp"]
    assert {**short, "timestamp": ""} == {**chain, "timestamp": ""}
    assert short["event"] == "GET /x?oauth_token=[redacted]"
    assert short["timestamp"].endswith("Z") and short["timestamp"][:4] == chain["timestamp"][:4]
