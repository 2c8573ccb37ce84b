"""The edge's per-request shortcuts make what the general code makes: request-line records
and lines written directly, Encoded responses and their JSON, public timestamps, Host decisions."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import logging
import re
import time
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

import pytest
from litestar import Response
from litestar.exceptions import SerializationException
from litestar.serialization import encode_json, get_serializer

from app.edge.kit import access_log, headers, hosts, log_format, ratelimit
from app.edge.kit.log_format import formatter, request_line
from app.edge.kit.logs import RedactCredentials, RequestIdFilter
from app.edge.kit.redaction import redacted
from app.edge.kit.representation import JSON, Encoded, _encoder_for
from app.edge.public.mappers import when

TIMES = ("created", "msecs", "relativeCreated")
FIELDS = {"request_id": "r1", "trace_id": None, "bff": "public", "route": "/x", "status": 200}


def test_request_records_are_what_make_record_makes() -> None:
    args = ("GET", "/public/x", 200)
    first, second = (access_log._record(args, dict(FIELDS)) for _ in range(2))
    made = access_log.ACCESS.makeRecord(
        access_log.ACCESS.name, logging.INFO, access_log.__file__, 0, access_log.MESSAGE, args,
        None, "log_request", dict(FIELDS),
    )  # fmt: skip
    for record in (first, second):
        assert isinstance(record, logging.LogRecord)
        assert {k: v for k, v in vars(record).items() if k not in TIMES} == {
            k: v for k, v in vars(made).items() if k not in TIMES
        }
        assert abs(record.created - time.time()) < 5
        assert record.msecs == int((record.created % 1) * 1000)
        assert record.relativeCreated == pytest.approx(
            made.relativeCreated + (record.created - made.created) * 1000, abs=1
        )
    assert second.getMessage() == "GET /public/x 200"


def test_another_record_factory_is_used_for_every_line() -> None:
    seen: list[logging.LogRecord] = []
    original = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        seen.append(original(*args, **kwargs))
        return seen[-1]

    logging.setLogRecordFactory(factory)
    try:
        records = [access_log._record(("GET", "/x", 200), dict(FIELDS)) for _ in range(3)]
    finally:
        logging.setLogRecordFactory(original)
    assert records == seen


def _attributes(response: Response[Any]) -> dict[str, Any]:
    slots = [s for kind in type(response).__mro__ for s in getattr(kind, "__slots__", ())]
    return {name: getattr(response, name, "<unset>") for name in slots} | dict(
        getattr(response, "__dict__", {})
    )


def test_encoded_is_built_as_litestars_response() -> None:
    for status in (200, 201):
        body = {"id": 1}
        general = _attributes(Response(body, status_code=status, media_type=JSON))
        assert _attributes(Encoded(body, status)) == general
        assert "<unset>" not in general.values() and general["content"] is body


def test_encoded_json_is_litestars() -> None:
    encoders: Any = {Decimal: str, PurePosixPath: str}
    value = {"n": Decimal("1.5"), "p": PurePosixPath("/a"), "t": dt.datetime(2024, 1, 2)}
    for chosen in (None, encoders):
        assert _encoder_for(chosen)(value) == encode_json(value, get_serializer(chosen))
    assert _encoder_for(encoders) is _encoder_for(encoders)
    with pytest.raises(SerializationException):
        _encoder_for(None)({"x": object()})


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2024, 1, 5, 3, 4, 5),
        dt.datetime(2024, 1, 5, 3, 4, 5, 999_999),
        dt.datetime(2024, 1, 5, 3, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=5))),
        dt.datetime(2024, 12, 31, 23, 59, 59, tzinfo=dt.UTC),
        dt.datetime(999, 1, 1),
        dt.datetime(1, 1, 1),
        dt.datetime(9999, 12, 31, 23, 59, 59),
    ],
)
def test_public_timestamps_are_strftimes(moment: dt.datetime) -> None:
    utc = moment.astimezone(dt.UTC) if moment.tzinfo else moment
    assert when(moment) == utc.strftime("%Y/%m/%d %H:%M:%S +0000")


def test_host_decisions_are_remembered_within_a_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hosts, "_DECIDED_MAX", 4)
    monkeypatch.setattr(hosts, "_decided", {})
    allowed = ("example.org", ".example.net")
    for _ in range(2):
        assert hosts.is_allowed(b"example.org:8000", allowed)
        assert hosts.is_allowed("a.example.net", allowed)
        assert not hosts.is_allowed(b"evil.org", allowed)
        assert not hosts.is_allowed(b"exa mple.org", allowed)
    assert not hosts.is_allowed(b"example.org", ("other.org",))  # (by Host and allowed hosts)
    for n in range(20):
        assert not hosts.is_allowed(f"h{n}.org".encode(), allowed)
    assert len(hosts._decided) <= 4


def test_trusted_peer_decisions_are_remembered_within_a_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(headers, "_TRUSTED_MAX", 4)
    monkeypatch.setattr(headers, "_trusted", {})
    proxies = ("172.16.0.0/12", "lb.internal", "not an address")
    for _ in range(2):
        assert headers.is_trusted("172.18.0.5", proxies)
        assert headers.is_trusted("lb.internal", proxies)
        assert not headers.is_trusted("172.32.0.1", proxies)
        assert not headers.is_trusted("garbage", proxies)
        assert not headers.is_trusted("172.18.0.5", ())
        assert not headers.is_trusted("172.18.0.5", ("10.0.0.0/8",))  # (by peer and proxies)
    for n in range(20):
        assert not headers.is_trusted(f"10.0.0.{n}", proxies)
    assert len(headers._trusted) <= 4


def _process_handler(out: io.StringIO, log_format: str = "json") -> logging.StreamHandler[Any]:
    """A handler as kit.logs installs it on the root logger, writing to `out`."""
    handler = logging.StreamHandler(out)
    handler.setFormatter(formatter(log_format))
    handler.addFilter(RequestIdFilter())
    handler.addFilter(RedactCredentials())
    return handler


LINES = [
    ("GET", "", "/tracks/{id}", 200, "r1", None, 1.25, "c-1", 7),
    ("POST", "/rest", "/x?oauth_token=s3cr", 404, "a:b.c", "ab" * 16, 0.0, None, None),
    ("GET", "", "/y", 500, "Bearer x", None, 12.5, "token=abc", None),
]


@pytest.mark.parametrize("line", LINES)
def test_request_lines_written_directly_are_what_the_handler_writes(line: Any) -> None:
    method, root, route, status, request_id, trace_id, duration, client_id, user_id = line
    args = (method, root + route, status)
    fields = {
        "request_id": "not the context's", "trace_id": trace_id, "bff": "b", "route": route,
        "method": method, "status": status, "duration_ms": duration, "client_id": client_id,
        "user_id": user_id,
    }  # fmt: skip
    general, direct = io.StringIO(), io.StringIO()
    token = access_log.request_id_var.set(request_id)
    try:
        _process_handler(general).handle(access_log._record(args, fields))
        fixed = ("b", route, method, status, client_id)
        for _ in range(2):  # (the second from the remembered parts)
            text = request_line((access_log.MESSAGE, args), request_id, trace_id, fixed,
                                duration, user_id)  # fmt: skip
            access_log._write(_process_handler(direct), text, args)
    finally:
        access_log.request_id_var.reset(token)
    first, again = direct.getvalue().splitlines()
    stamp = re.compile(r'"timestamp": "[0-9T:.Z-]+"')
    assert stamp.sub("", first) == stamp.sub("", again) == stamp.sub("", general.getvalue().strip())
    assert json.loads(first)["request_id"] == redacted(request_id)
    assert "s3cr" not in first and "abc" not in first and "Bearer x" not in first


def test_request_lines_skip_the_machinery_only_where_it_would_add_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = io.StringIO()
    handler = _process_handler(out)
    monkeypatch.setattr(logging.root, "handlers", [handler])
    monkeypatch.setattr(access_log, "_direct", [])
    assert access_log._direct_handler() is None  # (none named)
    access_log.write_directly(handler)
    assert access_log._direct_handler() is handler
    other = logging.StreamHandler(io.StringIO())
    changes = [
        (logging.root.handlers, lambda: logging.root.handlers.append(other)),
        (access_log.ACCESS.handlers, lambda: access_log.ACCESS.handlers.append(other)),
        (access_log.ACCESS.filters, lambda: access_log.ACCESS.filters.append(lambda r: True)),
        (handler.filters, lambda: handler.filters.append(lambda r: True)),
    ]
    for changed, change in changes:
        kept = list(changed)
        change()
        try:
            assert access_log._direct_handler() is None
        finally:
            changed[:] = kept
    assert access_log._direct_handler() is handler
    handler.setLevel(logging.WARNING)
    assert access_log._direct_handler() is None
    handler.setLevel(logging.NOTSET)
    handler.setFormatter(formatter("console"))
    assert access_log._direct_handler() is None


def test_log_request_writes_directly_what_the_records_would(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scope = {"method": "GET", "root_path": "/public", "state": {"request_id": "r9"}}
    written = []
    for direct in (False, True):
        out = io.StringIO()
        handler = _process_handler(out)
        monkeypatch.setattr(logging.root, "handlers", [handler])
        monkeypatch.setattr(access_log, "_direct", [])
        if direct:
            access_log.write_directly(handler)
        token = access_log.request_id_var.set("r9")
        level = access_log.ACCESS.level
        access_log.ACCESS.setLevel(logging.INFO)
        try:
            access_log.log_request(scope, "public", "/tracks/{id}", 200, 0.0125)
        finally:
            access_log.ACCESS.setLevel(level)
            access_log.request_id_var.reset(token)
        written.append(json.loads(out.getvalue()))
    assert [{**w, "timestamp": ""} for w in written] == [{**written[0], "timestamp": ""}] * 2
    assert written[1]["event"] == "GET /public/tracks/{id} 200"
    assert written[1]["duration_ms"] == 12.5 and written[1]["request_id"] == "r9"


def test_request_lines_timestamps_are_isoformats() -> None:
    for _ in range(3):
        before = dt.datetime.now(dt.UTC)
        stamp = log_format._now()
        after = dt.datetime.now(dt.UTC)
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z", stamp)
        moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        assert before - dt.timedelta(milliseconds=1) <= moment <= after
        assert stamp == moment.isoformat().replace("+00:00", "Z")


def test_raw_rate_limit_headers_are_the_named_ones() -> None:
    app, user, writes, anonymous = ratelimit.DEFAULT_POLICY.overridden().budgets
    cases = [
        [ratelimit.Decision(app, 14_999, 60)],
        [ratelimit.Decision(app, 10, 5), ratelimit.Decision(user, 10, 7)],
        [ratelimit.Decision(app, 3, 5), ratelimit.Decision(user, 9, 1),
         ratelimit.Decision(writes, 0, 59)],
        [ratelimit.Decision(anonymous, 0, 0)],
        [],
    ]  # fmt: skip
    for decisions in cases:
        for _ in range(2):  # (the second from the remembered parts)
            named = ratelimit.headers_for(decisions)
            raw = [(k.lower().encode(), v.encode()) for k, v in named.items()]
            assert ratelimit.raw_headers_for(decisions) == raw


def _sanitized_as_before(
    raw: list[tuple[bytes, bytes]], trusted: bool
) -> list[tuple[bytes, bytes]]:
    """headers.sanitize as it was written first (the reference of its one-pass rewrite)."""
    named = {
        token.strip().lower()
        for name, value in raw
        if name.lower() == b"connection"
        for token in value.split(b",")
    } - {b"host"}
    kept = []
    for name, value in raw:
        lowered = name.lower()
        if lowered in headers.HOP_BY_HOP or lowered == b"connection" or lowered in named:
            continue
        internal = lowered.startswith(headers.INTERNAL_PREFIXES)
        if not trusted and (internal or lowered in headers.INTERNAL_EXACT):
            continue
        kept.append((lowered, value))
    return kept


def test_sanitized_headers_are_what_the_first_sanitize_kept() -> None:
    pool = [
        (b"Host", b"example.org"), (b"Connection", b"keep-alive, X-Custom, Host"),
        (b"connection", b"upgrade"), (b"X-Custom", b"1"), (b"Upgrade", b"h2c"),
        (b"X-Forwarded-For", b"1.2.3.4"), (b"x-soundstack-territory", b"DE"),
        (b"Forwarded", b"for=1.2.3.4"), (b"X-User-Id", b"7"), (b"Authorization", b"OAuth t"),
        (b"TE", b"trailers"), (b"Accept", b"*/*"), (b"X-Real-IP", b"1.2.3.4"),
    ]  # fmt: skip
    for size in range(4):
        for picked in itertools.permutations(pool, size):
            raw = list(picked)
            for trusted in (False, True):
                assert headers.sanitize(raw, trusted) == _sanitized_as_before(raw, trusted), raw
