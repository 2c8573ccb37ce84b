"""The edge's per-request shortcuts make what the general code makes: request-line records,
Encoded responses and their JSON, public timestamps, Host decisions."""

from __future__ import annotations

import datetime as dt
import logging
import time
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

import pytest
from litestar import Response
from litestar.exceptions import SerializationException
from litestar.serialization import encode_json, get_serializer

from app.edge.kit import access_log, headers, hosts
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
