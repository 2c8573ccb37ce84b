"""Operational endpoints: /health and /ready for the process, /whoami in every BFF."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, get

from app.edge.kit.auth import client_id_required
from app.edge.kit.context import EdgeContext
from app.edge.kit.gateway import caller_of
from app.edge.kit.routes import ANY_TOKEN, OPEN


class WhoAmI(msgspec.Struct, frozen=True):
    """Who the edge thinks is calling: handy for client developers and for tests."""

    app_id: int
    client_id: str
    user_id: int | None
    territory: str | None
    plan: str
    scopes: list[str]


@get("/health", opt=OPEN, include_in_schema=False, sync_to_thread=False)
def health() -> dict[str, str]:
    """Alive: the process answers."""
    return {"status": "ok"}


@get("/ready", opt=OPEN, include_in_schema=False)
async def ready(request: Request[Any, Any, Any]) -> Response[dict[str, str]]:
    """Ready: the database answers and its migrations are at head; 503 naming the cause if not."""
    problem = await EdgeContext.of(request.app.state).services.readiness()
    if problem is not None:
        return Response({"status": "unavailable", "reason": problem}, status_code=503)
    return Response({"status": "ready"})


@get("/whoami", opt=ANY_TOKEN, sync_to_thread=False, summary="The calling app, user and territory")
def whoami(request: Request[Any, Any, Any]) -> WhoAmI:
    """The caller as resolved by the gateway (token or client_id), never cached publicly."""
    caller = caller_of(request.scope)
    if caller is None:
        raise client_id_required()
    scopes = sorted(caller.principal.scopes) if caller.principal else []
    return WhoAmI(
        app_id=caller.app.id,
        client_id=caller.app.client_id,
        user_id=caller.user_id,
        territory=caller.viewer.territory,
        plan=caller.viewer.plan,
        scopes=scopes,
    )
