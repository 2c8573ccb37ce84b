"""Mobile-specific injection: the per-request Embedder and the signed-in user's id."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.di import NamedDependency

from app.edge.kit.auth import signed_in_user as kit_signed_in_user
from app.edge.kit.caller import Caller
from app.edge.kit.context import EdgeContext
from app.edge.mobile.embedding import Embedder


def provide_embedder(
    request: Request[Any, Any, Any],
    caller: NamedDependency[Caller],
    edge: NamedDependency[EdgeContext],
) -> Embedder:
    return Embedder(request, caller, edge)


def signed_in_user(caller: NamedDependency[Caller]) -> int:
    """The id of the signed-in user; `/me` resources and uploads have no meaning without one."""
    return kit_signed_in_user(caller)
