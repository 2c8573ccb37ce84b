"""Web-specific injection: the list query (`offset`, `limit`, `fields`) every list takes."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.di import NamedDependency
from litestar.params import FromQuery

from app.edge.kit.bounds import PageLimit
from app.edge.kit.context import EdgeContext
from app.edge.web.embedding import ListQuery
from app.value_added.access import Viewer


def provide_list_query(
    request: Request[Any, Any, Any],
    edge: NamedDependency[EdgeContext],
    viewer: NamedDependency[Viewer],
    offset: FromQuery[str | None] = None,
    limit: PageLimit = None,
    fields: FromQuery[str | None] = None,
) -> ListQuery:
    return ListQuery(request, edge, viewer, offset, limit, fields)
