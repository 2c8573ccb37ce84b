"""Likes of tracks and playlists as the signed-in user."""

from __future__ import annotations

from litestar import Response, delete, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from app.edge.kit.openapi import described
from app.edge.kit.routes import WRITE
from app.edge.public import representations as rep
from app.edge.public.embedding import Embedder
from app.edge.public.params import ids
from app.edge.public.params.query_schemas import SECRET
from app.edge.public.routes import json


@post(
    "/likes/tracks/{track_urn:str}",
    opt=WRITE,
    status_code=200,
    operation_class=described(parameters=SECRET),
)
async def like_track(
    embed: NamedDependency[Embedder], track_urn: FromPath[str]
) -> Response[rep.Status]:
    track_id = ids.parse(track_urn, "tracks")
    await embed.services.tracks.like(embed.viewer, track_id, embed.query.secret_token)
    return json(rep.OK)


@delete("/likes/tracks/{track_urn:str}", opt=WRITE, status_code=200)
async def unlike_track(
    embed: NamedDependency[Embedder], track_urn: FromPath[str]
) -> Response[rep.Status]:
    await embed.services.tracks.unlike(embed.viewer, ids.parse(track_urn, "tracks"))
    return json(rep.OK)


@post("/likes/playlists/{playlist_urn:str}", opt=WRITE, status_code=200)
async def like_playlist(
    embed: NamedDependency[Embedder], playlist_urn: FromPath[str]
) -> Response[rep.Status]:
    await embed.services.playlists.like(embed.viewer, ids.parse(playlist_urn, "playlists"))
    return json(rep.OK)


@delete("/likes/playlists/{playlist_urn:str}", opt=WRITE, status_code=200)
async def unlike_playlist(
    embed: NamedDependency[Embedder], playlist_urn: FromPath[str]
) -> Response[rep.Status]:
    await embed.services.playlists.unlike(embed.viewer, ids.parse(playlist_urn, "playlists"))
    return json(rep.OK)


ROUTES = [like_track, unlike_track, like_playlist, unlike_playlist]
