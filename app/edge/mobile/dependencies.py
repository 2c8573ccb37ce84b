"""Mobile-specific injection: the per-request Embedder and the paging query of every list
(one provider per kind of entity listed, each declaring the `fields=` paths of its kind)."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.di import NamedDependency
from litestar.params import FromQuery

from app.edge.kit.bff import authenticated
from app.edge.kit.bounds import PageLimit
from app.edge.kit.caller import Caller
from app.edge.kit.context import EdgeContext
from app.edge.mobile.embedding import Embedder
from app.edge.mobile.params import Listing, PlaylistFields, TrackFields, UserFields


def provide_embedder(
    request: Request[Any, Any, Any],
    caller: NamedDependency[Caller],
    edge: NamedDependency[EdgeContext],
) -> Embedder:
    return Embedder(request, caller, edge)


def embedder_of(request: Request[Any, Any, Any]) -> Embedder:
    """The request's Embedder built directly, as provide_embedder's chain builds it (for a
    hot read taking the request itself: fewer signatures to parse, no providers to resolve)."""
    return Embedder(request, authenticated(request), EdgeContext.of(request.app.state))


def provide_track_listing(
    embed: NamedDependency[Embedder],
    limit: PageLimit = None,
    cursor: FromQuery[str | None] = None,
    fields: TrackFields = None,
) -> Listing:
    """A list of tracks' query. Taking the Embedder (which every list handler takes too) keeps
    the providers one chain, resolved with plain awaits rather than a task group (see
    kit/bff.py)."""
    return Listing(limit=limit, cursor=cursor, fields=fields)


def provide_playlist_listing(
    embed: NamedDependency[Embedder],
    limit: PageLimit = None,
    cursor: FromQuery[str | None] = None,
    fields: PlaylistFields = None,
) -> Listing:
    """A list of playlists' query (as provide_track_listing)."""
    return Listing(limit=limit, cursor=cursor, fields=fields)


def provide_user_listing(
    embed: NamedDependency[Embedder],
    limit: PageLimit = None,
    cursor: FromQuery[str | None] = None,
    fields: UserFields = None,
) -> Listing:
    """A list of users' query (as provide_track_listing)."""
    return Listing(limit=limit, cursor=cursor, fields=fields)
