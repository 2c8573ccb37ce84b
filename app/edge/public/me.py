"""`/me/*`: the signed-in user's profile, feed, likes, reposts, followings and uploads."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get

from app.edge.kit.context import EdgeContext
from app.edge.public import representations as rep
from app.edge.public.users import follow_list, user_playlists, user_tracks
from app.edge.public.views import ALL_ACCESS, TRACK_MASK, View, json, keep_access
from app.value_added.access import Viewer
from app.value_added.common.fieldmask import FieldMask

Req = Request[Any, Any, Any]
RECENTLY_PLAYED = 25


@get("/me")
async def get_me(request: Req, edge: EdgeContext, viewer: Viewer) -> Response[Any]:
    view = View(request, edge, viewer)
    found = await view.services.users.get(viewer, view.user_id(), FieldMask.all())
    return json(rep.me(found, view.links))


async def _feed(view: View) -> tuple[list[rep.Json], str | None]:
    view.user_id()
    page = await view.services.tracks.feed(view.viewer, TRACK_MASK, view.cursor, view.limit())
    items = keep_access(page.items, view.access())
    return await view.tracks(items), page.next_cursor


async def _activities(view: View) -> Response[Any]:
    tracks, cursor = await _feed(view)
    activities = [
        {"type": "track", "created_at": t.get("created_at", ""), "origin": t} for t in tracks
    ]
    return json(view.collection(activities, cursor))


@get("/me/feed")
async def my_feed(request: Req, edge: EdgeContext, viewer: Viewer) -> Response[Any]:
    return await _activities(View(request, edge, viewer))


@get("/me/feed/tracks")
async def my_feed_tracks(request: Req, edge: EdgeContext, viewer: Viewer) -> Response[Any]:
    return await _activities(View(request, edge, viewer))


@get("/me/followings/tracks")
async def my_followings_tracks(request: Req, edge: EdgeContext, viewer: Viewer) -> Response[Any]:
    view = View(request, edge, viewer)
    tracks, _ = await _feed(view)
    return json(tracks)


@get("/me/recently-played/tracks")
async def my_recently_played(request: Req, edge: EdgeContext, viewer: Viewer) -> Response[Any]:
    view = View(request, edge, viewer)
    view.user_id()
    page = await view.services.tracks.recently_played(viewer, TRACK_MASK, None, RECENTLY_PLAYED)
    unique = list({t.id: t for t in reversed(page.items)}.values())[::-1]
    items = keep_access(unique, view.access(ALL_ACCESS))
    return json({"collection": await view.tracks(items)})


def _me_route(path: str, which: str, kind: str) -> Any:
    async def handler(request: Req, edge: EdgeContext, viewer: Viewer) -> Response[Any]:
        view = View(request, edge, viewer)
        user_id = view.user_id()
        if kind == "tracks":
            return json(await user_tracks(view, user_id, which, ALL_ACCESS))
        if kind == "playlists":
            return json(await user_playlists(view, user_id, which))
        return json(await follow_list(view, user_id, which))

    handler.__name__ = f"me_{kind}_{which}"
    return get(f"/me{path}", name=handler.__name__)(handler)


ROUTES = [
    get_me,
    my_feed,
    my_feed_tracks,
    my_followings_tracks,
    my_recently_played,
    _me_route("/likes/tracks", "likes", "tracks"),
    _me_route("/likes/playlists", "likes", "playlists"),
    _me_route("/followings", "followings", "users"),
    _me_route("/followers", "followers", "users"),
    _me_route("/playlists", "own", "playlists"),
    _me_route("/tracks", "own", "tracks"),
    _me_route("/reposts/tracks", "reposts", "tracks"),
    _me_route("/reposts/playlists", "reposts", "playlists"),
]
