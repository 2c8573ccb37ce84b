"""Who is writing: the audit context every partner write carries."""

from __future__ import annotations

from typing import Any

from litestar import Request

from app.edge.kit.caller import Caller
from app.value_added.creator import AuditContext


def audit_context(request: Request[Any, Any, Any], caller: Caller) -> AuditContext:
    """Who is writing: the calling app, the token's user if any, and this request's id."""
    state = request.scope.get("state") or {}
    request_id = state.get("request_id")
    return AuditContext(
        app_id=caller.app.id,
        app_name=caller.app.name,
        actor_user_id=caller.user_id,
        request_id=str(request_id)[:64] if request_id else None,
    )
