"""Reposts of tracks and playlists as the signed-in user."""

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


@post("/reposts/tracks/{track_urn:str}", opt=WRITE, operation_class=described(parameters=SECRET))
async def repost_track(
    request: Request[Any, Any, Any], track_urn: FromPath[str]
) -> Response[rep.Status]:
    embed = embedder_of(request)
    track_id = ids.parse(track_urn, "tracks")
    await embed.services.tracks.repost(embed.viewer, track_id, embed.query.secret_token)
    return Encoded(rep.CREATED, 201)


@delete("/reposts/tracks/{track_urn:str}", opt=WRITE, status_code=200)
async def unrepost_track(
    request: Request[Any, Any, Any], track_urn: FromPath[str]
) -> Response[rep.Status]:
    """Deprecated in SoundCloud's document, kept for older clients."""
    embed = embedder_of(request)
    await embed.services.tracks.unrepost(embed.viewer, ids.parse(track_urn, "tracks"))
    return Encoded(rep.OK)


@post("/reposts/playlists/{playlist_urn:str}", opt=WRITE)
async def repost_playlist(
    request: Request[Any, Any, Any], playlist_urn: FromPath[str]
) -> Response[rep.Status]:
    embed = embedder_of(request)
    await embed.services.playlists.repost(embed.viewer, ids.parse(playlist_urn, "playlists"))
    return Encoded(rep.CREATED, 201)


@delete("/reposts/playlists/{playlist_urn:str}", opt=WRITE, status_code=200)
async def unrepost_playlist(
    request: Request[Any, Any, Any], playlist_urn: FromPath[str]
) -> Response[rep.Status]:
    embed = embedder_of(request)
    await embed.services.playlists.unrepost(embed.viewer, ids.parse(playlist_urn, "playlists"))
    return Encoded(rep.OK)


ROUTES = [repost_track, unrepost_track, repost_playlist, unrepost_playlist]
