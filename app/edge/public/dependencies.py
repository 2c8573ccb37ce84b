"""Public-specific injection: the request's query parameters and its Embedder."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.di import NamedDependency

from app.edge.kit.context import EdgeContext
from app.edge.public.embedding import Embedder
from app.edge.public.params.query import Query
from app.value_added.access import Viewer


def provide_query(request: Request[Any, Any, Any]) -> Query:
    return Query(request)


def provide_embedder(
    request: Request[Any, Any, Any],
    edge: NamedDependency[EdgeContext],
    viewer: NamedDependency[Viewer],
    parameters: NamedDependency[Query],
) -> Embedder:
    return Embedder(request, edge, viewer, parameters)
