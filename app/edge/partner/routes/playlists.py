"""Managed playlists (albums included) by id: read, edit, delete."""

from __future__ import annotations

from typing import Any

from litestar import Request, delete, get, patch
from litestar.di import NamedDependency
from litestar.params import JSONBody

from app.edge.kit.bounds import PathId
from app.edge.kit.caller import Caller
from app.edge.kit.context import EdgeContext
from app.edge.partner.mappers import playlist_at
from app.edge.partner.params.audit import audit_context
from app.edge.partner.params.bodies import PlaylistPatch, strictly
from app.edge.partner.representations import PartnerPlaylist
from app.edge.partner.routes import MANAGE
from app.value_added.access import Viewer


@get("/playlists/{playlist_id:int}", opt=MANAGE)
async def get_playlist(
    request: Request[Any, Any, Any],
    viewer: NamedDependency[Viewer],
    edge: NamedDependency[EdgeContext],
    playlist_id: PathId,
) -> PartnerPlaylist:
    playlist = await edge.services.creator.catalog_playlist(viewer, playlist_id)
    return playlist_at(request, playlist)


@patch("/playlists/{playlist_id:int}", opt=MANAGE)
async def update_playlist(
    request: Request[Any, Any, Any],
    caller: NamedDependency[Caller],
    edge: NamedDependency[EdgeContext],
    playlist_id: PathId,
    data: JSONBody[PlaylistPatch],
) -> PartnerPlaylist:
    data = await strictly(request, data)
    playlist = await edge.services.creator.update_playlist(
        caller.viewer,
        playlist_id,
        data,
        audit=audit_context(request, caller),
    )
    return playlist_at(request, playlist)


@delete("/playlists/{playlist_id:int}", opt=MANAGE, status_code=204)
async def delete_playlist(
    request: Request[Any, Any, Any],
    caller: NamedDependency[Caller],
    edge: NamedDependency[EdgeContext],
    playlist_id: PathId,
) -> None:
    await edge.services.creator.delete_playlist(
        caller.viewer, playlist_id, audit=audit_context(request, caller)
    )


ROUTES = [get_playlist, update_playlist, delete_playlist]
