"""Public-specific injection: the request's Embedder (its query parameters included)."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.di import NamedDependency

from app.edge.kit.bff import authenticated
from app.edge.kit.context import EdgeContext
from app.edge.public.embedding import Embedder
from app.edge.public.params.query import Query
from app.value_added.access import Viewer


def provide_embedder(
    request: Request[Any, Any, Any],
    edge: NamedDependency[EdgeContext],
    viewer: NamedDependency[Viewer],
) -> Embedder:
    """One per request; built on the viewer, so the providers stay one chain (see kit/bff.py)."""
    return Embedder(request, edge, viewer, Query(request))


def embedder_of(request: Request[Any, Any, Any]) -> Embedder:
    """The request's Embedder built directly, as provide_embedder's chain builds it: a hot
    read taking only the request and its path parameter has one signature to parse, no
    providers to resolve."""
    edge = EdgeContext.of(request.app.state)
    return Embedder(request, edge, authenticated(request).viewer, Query(request))
