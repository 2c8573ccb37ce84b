"""Likes of tracks and playlists as the signed-in user."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, delete, post
from litestar.params import FromPath

from app.edge.kit.openapi import described
from app.edge.kit.representation import Encoded
from app.edge.kit.routes import WRITE
from app.edge.public import representations as rep
from app.edge.public.dependencies import embedder_of
from app.edge.public.params import ids
from app.edge.public.params.query_schemas import SECRET


@post(
    "/likes/tracks/{track_urn:str}",
    opt=WRITE,
    status_code=200,
    operation_class=described(parameters=SECRET),
)
async def like_track(
    request: Request[Any, Any, Any], track_urn: FromPath[str]
) -> Response[rep.Status]:
    embed = embedder_of(request)
    track_id = ids.parse(track_urn, "tracks")
    await embed.services.tracks.like(embed.viewer, track_id, embed.query.secret_token)
    return Encoded(rep.OK)


@delete("/likes/tracks/{track_urn:str}", opt=WRITE, status_code=200)
async def unlike_track(
    request: Request[Any, Any, Any], track_urn: FromPath[str]
) -> Response[rep.Status]:
    embed = embedder_of(request)
    await embed.services.tracks.unlike(embed.viewer, ids.parse(track_urn, "tracks"))
    return Encoded(rep.OK)


@post("/likes/playlists/{playlist_urn:str}", opt=WRITE, status_code=200)
async def like_playlist(
    request: Request[Any, Any, Any], playlist_urn: FromPath[str]
) -> Response[rep.Status]:
    embed = embedder_of(request)
    await embed.services.playlists.like(embed.viewer, ids.parse(playlist_urn, "playlists"))
    return Encoded(rep.OK)


@delete("/likes/playlists/{playlist_urn:str}", opt=WRITE, status_code=200)
async def unlike_playlist(
    request: Request[Any, Any, Any], playlist_urn: FromPath[str]
) -> Response[rep.Status]:
    embed = embedder_of(request)
    await embed.services.playlists.unlike(embed.viewer, ids.parse(playlist_urn, "playlists"))
    return Encoded(rep.OK)


ROUTES = [like_track, unlike_track, like_playlist, unlike_playlist]
