"""Public-specific injection: the request's Embedder (its query parameters included)."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.di import NamedDependency

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
