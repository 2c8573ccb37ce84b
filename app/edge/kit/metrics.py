"""Request metrics and the request log line of every BFF (an ASGI middleware outside the
gateway, so refusals count too) and the operator's /metrics endpoint, open to METRICS_TOKEN or
to METRICS_ALLOW addresses."""

from __future__ import annotations

import hmac
import ipaddress
import time
from typing import Any

from litestar import Request, Response, get

from app.edge.kit.access_log import log_request
from app.edge.kit.context import EdgeContext
from app.edge.kit.routes import OPEN
from app.telemetry.metrics import exposition, metrics


class RequestMetrics:
    """Counts and times every request that reached a BFF's routes, by route template, and
    writes its request line: called by the gateway, the one ASGI layer of a BFF's routes,
    when it has answered (refusals too)."""

    def __init__(self, bff: str) -> None:
        self.bff = bff
        self._series: dict[tuple[str, str, int], tuple[Any, Any, Any]] = {}
        """The labelled series of each (route, method, status) seen: looked up by labels once
        (prometheus_client's `labels()` validates and locks on every call)."""

    def _series_of(self, route: str, method: str, status: int) -> tuple[Any, Any, Any]:
        key = (route, method, status)
        found = self._series.get(key)
        if found is None:
            m = metrics()
            found = (
                m.requests.labels(self.bff, route, method, f"{status // 100}xx"),
                m.request_seconds.labels(self.bff, route),
                m.rate_limited.labels(self.bff, route) if status == 429 else None,
            )
            self._series[key] = found
        return found

    def observe(self, scope: Any, status: int, started: float) -> None:
        """One answered request: `status` sent (500: none was), `started` its perf_counter."""
        elapsed = time.perf_counter() - started
        route = scope.get("path_template") or "unmatched"
        requests, seconds, limited = self._series_of(route, scope["method"], status)
        requests.inc()
        seconds.observe(elapsed)
        if limited is not None:
            limited.inc()
        log_request(scope, self.bff, route, status, elapsed)


def _allowed(request: Request[Any, Any, Any], token: str | None, allow: tuple[str, ...]) -> bool:
    if token:
        sent = request.headers.get("authorization", "")
        return hmac.compare_digest(sent.encode(), f"Bearer {token}".encode())
    peer = request.client.host if request.client else None
    if peer is None:
        return False
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in allow)


@get("/metrics", opt=OPEN, include_in_schema=False)
async def metrics_endpoint(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Prometheus text or OpenMetrics (by Accept), for the operator only."""
    ctx = EdgeContext.of(request.app.state)
    settings = ctx.settings
    if not _allowed(request, settings.metrics_token, settings.metrics_allow):
        message = "/metrics needs the METRICS_TOKEN bearer token or an address in METRICS_ALLOW"
        return Response(
            f'{{"error":"metrics_forbidden","message":"{message}"}}'.encode(),
            status_code=403,
            media_type="application/json",
        )
    counts = await ctx.services.media.jobs.job_counts()
    for state in ("queued", "running", "done", "failed"):
        metrics().media_jobs_in_state.labels(state).set(counts.get(state, 0))
    database = ctx.settings.database_url.split(":", 1)[0].split("+", 1)[0]
    metrics().db_connections_in_use.labels(database).set(ctx.services.connections_in_use())
    body, content_type = exposition(request.headers.get("accept"))
    return Response(body, media_type=content_type, headers={"cache-control": "no-store"})
