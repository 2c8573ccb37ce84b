"""OpenTelemetry traces: off unless the standard OTEL_* variables ask for an exporter (then a
span per request, value-added call, repository call, SQL statement, Redis call and media job).

Nothing is wrapped while tracing is off. When it is on, the edge opens a request span and makes
its tracer current (a context variable); the value-added and repository wrappers record spans
only under a current tracer, so a process can also trace one app and not another (tests)."""

from __future__ import annotations

import contextvars
import functools
import inspect
import os
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import Span, SpanKind, Tracer

_current: contextvars.ContextVar[Tracer | None] = contextvars.ContextVar(
    "soundstack_tracer", default=None
)
TRACER_NAME = "soundstack"


def provider_from_environment(env: dict[str, str] | None = None) -> TracerProvider | None:
    """A provider exporting over OTLP when OTEL_TRACES_EXPORTER=otlp or an OTLP endpoint is
    set (and OTEL_SDK_DISABLED is not true); None otherwise. The exporter reads the standard
    OTEL_EXPORTER_OTLP_* variables, the resource OTEL_SERVICE_NAME/OTEL_RESOURCE_ATTRIBUTES."""
    env = dict(os.environ) if env is None else env
    if env.get("OTEL_SDK_DISABLED", "").lower() == "true":
        return None
    exporter = env.get("OTEL_TRACES_EXPORTER", "")
    endpoint = env.get("OTEL_EXPORTER_OTLP_ENDPOINT") or env.get(
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
    )
    if exporter in ("", "none") and not (endpoint and exporter != "none"):
        return None
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    service = env.get("OTEL_SERVICE_NAME") or "soundstack"
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    return provider


def tracer_of(provider: TracerProvider) -> Tracer:
    return provider.get_tracer(TRACER_NAME)


def current() -> Tracer | None:
    """The tracer of the request or job being served, if it is traced."""
    return _current.get()


@contextmanager
def tracing_with(tracer: Tracer) -> Iterator[None]:
    token = _current.set(tracer)
    try:
        yield
    finally:
        _current.reset(token)


@contextmanager
def span(name: str, kind: SpanKind = SpanKind.INTERNAL, **attributes: Any) -> Iterator[Span | None]:
    """A span under the current tracer, or nothing (and no cost beyond one lookup) without one."""
    tracer = _current.get()
    if tracer is None:
        yield None
        return
    with tracer.start_as_current_span(name, kind=kind, attributes=attributes) as opened:
        yield opened


def traced_method(
    method: Callable[..., Awaitable[Any]], name: str, layer: str
) -> Callable[..., Awaitable[Any]]:
    """`method` recording a span `name` (attribute soundstack.layer) under a current tracer."""

    @functools.wraps(method)
    async def call(*args: Any, **kwargs: Any) -> Any:
        tracer = _current.get()
        if tracer is None:
            return await method(*args, **kwargs)
        with tracer.start_as_current_span(name, attributes={"soundstack.layer": layer}):
            return await method(*args, **kwargs)

    return call


def trace_class_methods(cls: type, layer: str) -> None:
    """Wrap the public coroutine methods of `cls` (once) so calls record spans when traced."""
    if getattr(cls, "__soundstack_traced__", False):
        return
    for attr, method in inspect.getmembers(cls, inspect.iscoroutinefunction):
        if not attr.startswith("_"):
            setattr(cls, attr, traced_method(method, f"{cls.__name__}.{attr}", layer))
    cls.__soundstack_traced__ = True  # type: ignore[attr-defined]
