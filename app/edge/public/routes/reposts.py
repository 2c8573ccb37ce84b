"""Reposts of tracks and playlists as the signed-in user."""

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


@post("/reposts/tracks/{track_urn:str}", opt=WRITE, operation_class=described(parameters=SECRET))
async def repost_track(
    embed: NamedDependency[Embedder], track_urn: FromPath[str]
) -> Response[rep.Status]:
    track_id = ids.parse(track_urn, "tracks")
    await embed.services.tracks.repost(embed.viewer, track_id, embed.query.secret_token)
    return json(rep.CREATED, status=201)


@delete("/reposts/tracks/{track_urn:str}", opt=WRITE, status_code=200)
async def unrepost_track(
    embed: NamedDependency[Embedder], track_urn: FromPath[str]
) -> Response[rep.Status]:
    """Deprecated in SoundCloud's document, kept for older clients."""
    await embed.services.tracks.unrepost(embed.viewer, ids.parse(track_urn, "tracks"))
    return json(rep.OK)


@post("/reposts/playlists/{playlist_urn:str}", opt=WRITE)
async def repost_playlist(
    embed: NamedDependency[Embedder], playlist_urn: FromPath[str]
) -> Response[rep.Status]:
    await embed.services.playlists.repost(embed.viewer, ids.parse(playlist_urn, "playlists"))
    return json(rep.CREATED, status=201)


@delete("/reposts/playlists/{playlist_urn:str}", opt=WRITE, status_code=200)
async def unrepost_playlist(
    embed: NamedDependency[Embedder], playlist_urn: FromPath[str]
) -> Response[rep.Status]:
    await embed.services.playlists.unrepost(embed.viewer, ids.parse(playlist_urn, "playlists"))
    return json(rep.OK)


ROUTES = [repost_track, unrepost_track, repost_playlist, unrepost_playlist]
