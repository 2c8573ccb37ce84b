"""Users: search, profile, related, followers, followings, tracks, playlists, likes, reposts."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get

from app.edge.kit.context import EdgeContext
from app.edge.public import ids
from app.edge.public import representations as rep
from app.edge.public.playlists import mask_for
from app.edge.public.views import (
    DEFAULT_ACCESS,
    PLAYLIST_MASK,
    TRACK_MASK,
    USER_MASK,
    View,
    json,
    keep_access,
)
from app.value_added.access import Access, Viewer

CATALOG = {"catalog": True}
Req = Request[Any, Any, Any]


async def user_tracks(
    view: View, user_id: int, which: str, default_access: frozenset[Access]
) -> Any:
    tracks = view.services.tracks
    fetch = {"own": tracks.by_user, "likes": tracks.liked_by, "reposts": tracks.reposted_by}
    await view.services.users.get(view.viewer, user_id, USER_MASK)
    page = await fetch[which](view.viewer, user_id, TRACK_MASK, view.cursor, view.limit())
    items = keep_access(page.items, view.access(default_access))
    return view.listing(await view.tracks(items), page.next_cursor)


async def user_playlists(view: View, user_id: int, which: str) -> Any:
    playlists = view.services.playlists
    await view.services.users.get(view.viewer, user_id, USER_MASK)
    if which == "own":
        mask, with_tracks = mask_for(view)
        page = await playlists.by_user(view.viewer, user_id, mask, view.cursor, view.limit())
    else:
        fetch = playlists.liked_by if which == "likes" else playlists.reposted_by
        with_tracks = False
        page = await fetch(view.viewer, user_id, PLAYLIST_MASK, view.cursor, view.limit())
    return view.listing(await view.playlists(page.items, with_tracks), page.next_cursor)


async def follow_list(view: View, user_id: int, which: str) -> Any:
    users = view.services.users
    fetch = {"followers": users.followers, "followings": users.followings}.get(which, users.related)
    page = await fetch(view.viewer, user_id, USER_MASK, view.cursor, view.limit())
    return view.collection(view.users(page.items), page.next_cursor)


@get("/users", opt=CATALOG)
async def search_users(request: Req, edge: EdgeContext, viewer: Viewer) -> Response[Any]:
    view = View(request, edge, viewer)
    wanted = ids.parse_list(view.param("urns") or view.param("ids"), "users")
    if wanted is not None:
        found = await view.services.users.get_many(viewer, wanted[:200], USER_MASK)
        return json(view.collection(view.users(found), None))
    text = (view.param("q") or "").strip() or None
    page = await view.services.users.search(viewer, text, USER_MASK, view.cursor, view.limit())
    return json(view.collection(view.users(page.items), page.next_cursor))


@get("/users/{user_urn:str}", opt=CATALOG)
async def get_user(request: Req, edge: EdgeContext, viewer: Viewer, user_urn: str) -> Response[Any]:
    view = View(request, edge, viewer)
    found = await view.services.users.get(viewer, ids.parse(user_urn, "users"), USER_MASK)
    return json(rep.user(found, view.links))


def _user_route(path: str, which: str, kind: str) -> Any:
    async def handler(
        request: Req, edge: EdgeContext, viewer: Viewer, user_urn: str
    ) -> Response[Any]:
        view = View(request, edge, viewer)
        user_id = ids.parse(user_urn, "users")
        if kind == "tracks":
            return json(await user_tracks(view, user_id, which, DEFAULT_ACCESS))
        if kind == "playlists":
            return json(await user_playlists(view, user_id, which))
        return json(await follow_list(view, user_id, which))

    handler.__name__ = f"user_{kind}_{which}"
    return get(f"/users/{{user_urn:str}}{path}", opt=CATALOG, name=handler.__name__)(handler)


@get("/users/{user_urn:str}/web-profiles", opt=CATALOG)
async def web_profiles(
    request: Req, edge: EdgeContext, viewer: Viewer, user_urn: str
) -> Response[Any]:
    found = await edge.services.users.web_profiles(ids.parse(user_urn, "users"))
    view = View(request, edge, viewer)
    limit = view.limit(len(found)) or len(found)
    return json([rep.web_profile(w) for w in found[:limit]])


ROUTES = [
    search_users,
    get_user,
    web_profiles,
    _user_route("/related", "related", "users"),
    _user_route("/followers", "followers", "users"),
    _user_route("/followings", "followings", "users"),
    _user_route("/tracks", "own", "tracks"),
    _user_route("/playlists", "own", "playlists"),
    _user_route("/likes/tracks", "likes", "tracks"),
    _user_route("/likes/playlists", "likes", "playlists"),
    _user_route("/reposts/tracks", "reposts", "tracks"),
    _user_route("/reposts/playlists", "reposts", "playlists"),
]
