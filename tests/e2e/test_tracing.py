"""OpenTelemetry: the span tree of one mobile track read, edge → value-added services →
repositories → SQL statements, with no span missing; a span per Redis command; traceparent
only from trusted proxies."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from app.telemetry.tracing import provider_from_environment
from tests.e2e.conftest import Harness, in_process, serving, settings_for
from tests.factories import make_track

_names = itertools.count()
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT_ID = "00f067aa0ba902b7"


@pytest.fixture
def exporter() -> Iterator[tuple[TracerProvider, InMemorySpanExporter]]:
    provider = TracerProvider()
    exported = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exported))
    yield provider, exported
    provider.shutdown()


async def _read_track(
    h: Harness, exported: InMemorySpanExporter, **headers: str
) -> list[ReadableSpan]:
    n = next(_names)
    app, _ = await h.new_app(f"traced app {n}")
    owner = await h.new_user(f"traced_owner{n}")
    fan = await h.new_user(f"traced_fan{n}")
    track = await make_track(h.services.deps.db, owner)
    token = await h.user_token(app, fan)
    exported.clear()  # (arranging data ran outside any request: nothing was traced anyway)
    r = await h.client.get(
        f"/mobile/tracks/{track}", headers={"Authorization": f"OAuth {token}", **headers}
    )
    assert r.status_code == 200
    return list(exported.get_finished_spans())


def _children(spans: list[ReadableSpan]) -> dict[int | None, list[ReadableSpan]]:
    tree: dict[int | None, list[ReadableSpan]] = {}
    for s in spans:
        tree.setdefault(s.parent.span_id if s.parent else None, []).append(s)
    return tree


def _below(span: ReadableSpan, tree: dict[int | None, list[ReadableSpan]]) -> list[ReadableSpan]:
    found: list[ReadableSpan] = []
    for child in tree.get(span.context.span_id, []):
        found += [child, *_below(child, tree)]
    return found


async def test_span_tree_of_a_mobile_track_read(
    database_url: str, tmp_path: Path, exporter: tuple[TracerProvider, InMemorySpanExporter]
) -> None:
    provider, exported = exporter
    async with serving(in_process(settings_for(database_url, tmp_path), provider)) as h:
        spans = await _read_track(h, exported)
    ids = {s.context.span_id for s in spans}
    (root,) = [s for s in spans if s.parent is None or s.parent.span_id not in ids]
    assert root.name.startswith("GET /mobile/tracks/{") and root.kind.name == "SERVER"
    assert root.attributes is not None and root.attributes["http.response.status_code"] == 200
    assert all(s.context.trace_id == root.context.trace_id for s in spans)
    tree = _children(spans)
    assert len(_below(root, tree)) == len(spans) - 1, "a span is not under the request"

    def layer(s: ReadableSpan) -> object:
        return (s.attributes or {}).get("soundstack.layer")

    services = {s.name: s for s in spans if layer(s) == "value_added"}
    assert {"identity.principal", "tracks.get", "users.get_many"} <= set(services)
    for name in ("tracks.get", "users.get_many"):
        below = _below(services[name], tree)
        repositories = [s for s in below if layer(s) == "foundation"]
        assert repositories, f"{name} reached no repository"
    tracks_repositories = {s.name.split(".")[0] for s in _below(services["tracks.get"], tree)}
    assert {"TracksRepository", "PoliciesRepository"} <= tracks_repositories
    statements = [s for s in spans if (s.attributes or {}).get("db.system")]
    assert statements, "no SQL statement span"
    for statement in statements:  # every statement under a repository call
        parent = next(s for s in spans if s.context.span_id == statement.parent.span_id)  # type: ignore[union-attr]
        assert layer(parent) == "foundation", (statement.attributes, parent.name)
        assert str((statement.attributes or {})["db.statement"]).split()[0] in {
            "SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "BEGIN", "COMMIT",
        }  # fmt: skip


@pytest.mark.redis
async def test_redis_commands_are_spans_under_the_request(
    sqlite_url: str,
    redis_url: str,
    redis_prefix: str,
    tmp_path: Path,
    exporter: tuple[TracerProvider, InMemorySpanExporter],
) -> None:
    provider, exported = exporter
    settings = settings_for(sqlite_url, tmp_path, redis_url=redis_url, redis_prefix=redis_prefix)
    async with serving(in_process(settings, provider)) as h:
        spans = await _read_track(h, exported)
    root = next(s for s in spans if s.kind.name == "SERVER")
    redis_spans = [s for s in spans if (s.attributes or {}).get("db.system") == "redis"]
    assert redis_spans, "the request's rate-limit counting sent no traced Redis command"
    for found in redis_spans:
        assert found.kind.name == "CLIENT" and found.name.startswith("redis ")
        assert found.context.trace_id == root.context.trace_id
        assert found in _below(root, _children(spans)), found.name
    assert {str((s.attributes or {})["db.operation.name"]) for s in redis_spans} & {
        "EVALSHA", "EVAL", "MGET", "SCRIPT",
    }  # fmt: skip


async def test_traceparent_is_continued_only_from_trusted_proxies(
    sqlite_url: str, tmp_path: Path, exporter: tuple[TracerProvider, InMemorySpanExporter]
) -> None:
    provider, exported = exporter
    traceparent = f"00-{TRACE_ID}-{PARENT_ID}-01"
    async with serving(in_process(settings_for(sqlite_url, tmp_path), provider)) as h:
        spans = await _read_track(h, exported, traceparent=traceparent)
    root = next(s for s in spans if s.kind.name == "SERVER")
    assert f"{root.context.trace_id:032x}" != TRACE_ID and root.parent is None

    trusted = settings_for(sqlite_url, tmp_path, trusted_proxies=("127.0.0.1",))
    async with serving(in_process(trusted, provider)) as h:
        spans = await _read_track(h, exported, traceparent=traceparent)
    root = next(s for s in spans if s.kind.name == "SERVER")
    assert f"{root.context.trace_id:032x}" == TRACE_ID
    assert root.parent is not None and f"{root.parent.span_id:016x}" == PARENT_ID


def test_tracing_is_off_unless_the_environment_asks() -> None:
    assert provider_from_environment({}) is None
    assert provider_from_environment({"OTEL_TRACES_EXPORTER": "none"}) is None
    on = {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_SERVICE_NAME": "ss-test"}
    provider = provider_from_environment(on)
    assert provider is not None
    assert provider.resource.attributes["service.name"] == "ss-test"
    provider.shutdown()
    assert provider_from_environment({**on, "OTEL_SDK_DISABLED": "true"}) is None
