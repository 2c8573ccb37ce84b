"""Track reads: search, one track, streams, preview, comments, favoriters, reposters, related."""

from __future__ import annotations

from functools import partial
from typing import Any

from litestar import Request, Response, get

from app.edge.kit.context import EdgeContext
from app.edge.public import ids, search, streams
from app.edge.public.views import TRACK_MASK, View, json, keep_access
from app.value_added.access import Viewer

CATALOG = {"catalog": True}
Req = Request[Any, Any, Any]


@get("/tracks", opt=CATALOG)
async def search_tracks(request: Req, edge: EdgeContext, viewer: Viewer) -> Response[Any]:
    view = View(request, edge, viewer)
    query = search.track_query(view)
    page = await view.services.tracks.search(viewer, query, TRACK_MASK, view.cursor, view.limit())
    return json(view.listing(await view.tracks(page.items), page.next_cursor))


@get("/tracks/{track_urn:str}", opt=CATALOG)
async def get_track(
    request: Req, edge: EdgeContext, viewer: Viewer, track_urn: str
) -> Response[Any]:
    view = View(request, edge, viewer)
    track_id = ids.parse(track_urn, "tracks")
    found = await view.services.tracks.get(viewer, track_id, TRACK_MASK, view.secret_token)
    return json(await view.track(found))


@get("/tracks/{track_urn:str}/streams")
async def track_streams(
    request: Req, edge: EdgeContext, viewer: Viewer, track_urn: str
) -> Response[Any]:
    view = View(request, edge, viewer)
    found = await streams.grants(view, ids.parse(track_urn, "tracks"))
    return json(streams.as_streams(view, found), headers={"Cache-Control": "no-store"})


@get("/tracks/{track_urn:str}/preview")
async def track_preview(
    request: Req, edge: EdgeContext, viewer: Viewer, track_urn: str
) -> Response[Any]:
    view = View(request, edge, viewer)
    location = streams.preview_of(view, await streams.grants(view, ids.parse(track_urn, "tracks")))
    return json(
        {"status": "302 - Found", "location": location},
        status=302,
        headers={"Location": location, "Cache-Control": "no-store"},
    )


@get("/tracks/{track_urn:str}/comments", opt=CATALOG)
async def track_comments(
    request: Req, edge: EdgeContext, viewer: Viewer, track_urn: str
) -> Response[Any]:
    view = View(request, edge, viewer)
    page = await view.services.tracks.comments(
        viewer, ids.parse(track_urn, "tracks"), view.cursor, view.limit(), view.secret_token
    )
    return json(view.collection(await view.comments(page.items), page.next_cursor))


@get("/tracks/{track_urn:str}/favoriters", opt=CATALOG)
async def track_favoriters(
    request: Req, edge: EdgeContext, viewer: Viewer, track_urn: str
) -> Response[Any]:
    view = View(request, edge, viewer)
    ident = ids.parse(track_urn, "tracks")
    return json(await view.people(partial(view.services.tracks.likers, viewer, ident)))


@get("/tracks/{track_urn:str}/reposters", opt=CATALOG)
async def track_reposters(
    request: Req, edge: EdgeContext, viewer: Viewer, track_urn: str
) -> Response[Any]:
    view = View(request, edge, viewer)
    ident = ids.parse(track_urn, "tracks")
    return json(await view.people(partial(view.services.tracks.reposters, viewer, ident)))


@get("/tracks/{track_urn:str}/related", opt=CATALOG)
async def related_tracks(
    request: Req, edge: EdgeContext, viewer: Viewer, track_urn: str
) -> Response[Any]:
    view = View(request, edge, viewer)
    page = await view.services.tracks.related(
        viewer, ids.parse(track_urn, "tracks"), TRACK_MASK, view.cursor, view.limit()
    )
    items = keep_access(page.items, view.access())
    return json(view.listing(await view.tracks(items), page.next_cursor))


ROUTES = [
    search_tracks,
    get_track,
    track_streams,
    track_preview,
    track_comments,
    track_favoriters,
    track_reposters,
    related_tracks,
]
