"""Operational endpoints served by the process itself: /health (alive) and /ready."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get

from app.edge.kit.context import EdgeContext


@get("/health", opt={"auth": "none"}, include_in_schema=False, sync_to_thread=False)
def health() -> dict[str, str]:
    """Alive: the process answers."""
    return {"status": "ok"}


@get("/ready", opt={"auth": "none"}, include_in_schema=False)
async def ready(request: Request[Any, Any, Any]) -> Response[dict[str, str]]:
    """Ready: the database answers and its migrations are at head; 503 naming the cause if not."""
    problem = await EdgeContext.of(request.app.state).services.readiness()
    if problem is not None:
        return Response({"status": "unavailable", "reason": problem}, status_code=503)
    return Response({"status": "ready"})
