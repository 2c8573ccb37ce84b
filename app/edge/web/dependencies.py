"""Web-specific injection: the list query (`offset`, `limit`, `fields`) every list takes, one
per kind of item, so that each documents the `fields` its items have."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.di import NamedDependency

from app.edge.kit.bounds import PageLimit
from app.edge.kit.context import EdgeContext
from app.edge.web.embedding import ListQuery
from app.edge.web.params import Offset, PlaylistFields, TrackFields, UserFields
from app.value_added.access import Viewer


def provide_track_list(
    request: Request[Any, Any, Any],
    edge: NamedDependency[EdgeContext],
    viewer: NamedDependency[Viewer],
    offset: Offset = None,
    limit: PageLimit = None,
    fields: TrackFields = None,
) -> ListQuery:
    return ListQuery(request, edge, viewer, offset, limit, fields)


def provide_playlist_list(
    request: Request[Any, Any, Any],
    edge: NamedDependency[EdgeContext],
    viewer: NamedDependency[Viewer],
    offset: Offset = None,
    limit: PageLimit = None,
    fields: PlaylistFields = None,
) -> ListQuery:
    return ListQuery(request, edge, viewer, offset, limit, fields)


def provide_user_list(
    request: Request[Any, Any, Any],
    edge: NamedDependency[EdgeContext],
    viewer: NamedDependency[Viewer],
    offset: Offset = None,
    limit: PageLimit = None,
    fields: UserFields = None,
) -> ListQuery:
    return ListQuery(request, edge, viewer, offset, limit, fields)
