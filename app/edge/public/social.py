"""Likes, reposts and follows as the signed-in user."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, delete, post, put

from app.edge.kit.context import EdgeContext
from app.edge.public import ids
from app.edge.public import representations as rep
from app.edge.public.errors import unprocessable
from app.edge.public.views import USER_MASK, View, json
from app.value_added.access import Viewer

Req = Request[Any, Any, Any]
OK = {"status": "200 - OK"}
CREATED = {"status": "201 - Created"}


@post("/likes/tracks/{track_urn:str}")
async def like_track(
    request: Req, edge: EdgeContext, viewer: Viewer, track_urn: str
) -> Response[Any]:
    view = View(request, edge, viewer)
    await edge.services.tracks.like(viewer, ids.parse(track_urn, "tracks"), view.secret_token)
    return json(OK)


@delete("/likes/tracks/{track_urn:str}", status_code=200)
async def unlike_track(edge: EdgeContext, viewer: Viewer, track_urn: str) -> Response[Any]:
    await edge.services.tracks.unlike(viewer, ids.parse(track_urn, "tracks"))
    return json(OK)


@post("/likes/playlists/{playlist_urn:str}")
async def like_playlist(edge: EdgeContext, viewer: Viewer, playlist_urn: str) -> Response[Any]:
    await edge.services.playlists.like(viewer, ids.parse(playlist_urn, "playlists"))
    return json(OK)


@delete("/likes/playlists/{playlist_urn:str}", status_code=200)
async def unlike_playlist(edge: EdgeContext, viewer: Viewer, playlist_urn: str) -> Response[Any]:
    await edge.services.playlists.unlike(viewer, ids.parse(playlist_urn, "playlists"))
    return json(OK)


@post("/reposts/tracks/{track_urn:str}")
async def repost_track(
    request: Req, edge: EdgeContext, viewer: Viewer, track_urn: str
) -> Response[Any]:
    view = View(request, edge, viewer)
    await edge.services.tracks.repost(viewer, ids.parse(track_urn, "tracks"), view.secret_token)
    return json(CREATED, status=201)


@delete("/reposts/tracks/{track_urn:str}", status_code=200)
async def unrepost_track(edge: EdgeContext, viewer: Viewer, track_urn: str) -> Response[Any]:
    """Deprecated in SoundCloud's document, kept for older clients."""
    await edge.services.tracks.unrepost(viewer, ids.parse(track_urn, "tracks"))
    return json(OK)


@post("/reposts/playlists/{playlist_urn:str}")
async def repost_playlist(edge: EdgeContext, viewer: Viewer, playlist_urn: str) -> Response[Any]:
    await edge.services.playlists.repost(viewer, ids.parse(playlist_urn, "playlists"))
    return json(CREATED, status=201)


@delete("/reposts/playlists/{playlist_urn:str}", status_code=200)
async def unrepost_playlist(edge: EdgeContext, viewer: Viewer, playlist_urn: str) -> Response[Any]:
    await edge.services.playlists.unrepost(viewer, ids.parse(playlist_urn, "playlists"))
    return json(OK)


@put("/me/followings/{user_urn:str}")
async def follow(request: Req, edge: EdgeContext, viewer: Viewer, user_urn: str) -> Response[Any]:
    view = View(request, edge, viewer)
    user_id = ids.parse(user_urn, "users")
    async with unprocessable():
        await edge.services.users.follow(viewer, user_id)
    followed = await edge.services.users.get(viewer, user_id, USER_MASK)
    return json(rep.user(followed, view.links))


@delete("/me/followings/{user_urn:str}", status_code=200)
async def unfollow(edge: EdgeContext, viewer: Viewer, user_urn: str) -> Response[Any]:
    async with unprocessable():
        await edge.services.users.unfollow(viewer, ids.parse(user_urn, "users"))
    return json(OK)


ROUTES = [
    like_track,
    unlike_track,
    like_playlist,
    unlike_playlist,
    repost_track,
    unrepost_track,
    repost_playlist,
    unrepost_playlist,
    follow,
    unfollow,
]
