"""The request span of every traced BFF request: W3C `traceparent` continued only from trusted
proxies (TRUSTED_PROXIES), the route template as its name, the tracer made current below it."""

from __future__ import annotations

from typing import Any

from opentelemetry.trace import SpanKind, Tracer
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from app.edge.kit import headers
from app.telemetry.tracing import tracing_with

ASGIApp = Any
_PROPAGATOR = TraceContextTextMapPropagator()


class TraceRequests:
    """ASGI middleware: one SERVER span per request, parent of every span the request makes."""

    def __init__(self, app: ASGIApp, bff: str, tracer: Tracer, trusted: tuple[str, ...]) -> None:
        self.app = app
        self.bff = bff
        self.tracer = tracer
        self.trusted = trusted

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        parent = None
        if headers.is_trusted(client[0] if client else None, self.trusted):
            carrier = {
                k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]
            }
            parent = _PROPAGATOR.extract(carrier)
        route = scope.get("path_template") or "unmatched"
        method = scope["method"]
        attributes = {
            "http.request.method": method,
            "http.route": route,
            "soundstack.bff": self.bff,
        }
        with (
            tracing_with(self.tracer),
            self.tracer.start_as_current_span(
                f"{method} /{self.bff}{route}",
                context=parent,
                kind=SpanKind.SERVER,
                attributes=attributes,
            ) as span,
        ):

            async def traced_send(message: Any) -> None:
                if message["type"] == "http.response.start":
                    span.set_attribute("http.response.status_code", message["status"])
                await send(message)

            await self.app(scope, receive, traced_send)
