"""Managed tracks and playlists by id: bulk reads (ids or ISRCs), edits, policies, deletion."""

from __future__ import annotations

from typing import Any

from litestar import Request, delete, get, patch
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery

from app.edge.kit.caller import Caller
from app.edge.kit.context import EdgeContext
from app.edge.partner import bodies, representations
from app.edge.partner.common import CATALOG, Collection, collection, playlist_at, track_at
from app.edge.partner.params import audit_context, bad, csv_list, int_list
from app.value_added.access import Viewer


@get("/tracks", opt=CATALOG)
async def bulk_tracks(
    request: Request[Any, Any, Any],
    viewer: NamedDependency[Viewer],
    edge: NamedDependency[EdgeContext],
    ids: FromQuery[str | None] = None,
    isrc: FromQuery[str | None] = None,
) -> Collection:
    """Up to 200 tracks by `ids` or by `isrc`, in request order; unmanaged ones are left out."""
    if (ids is None) == (isrc is None):
        raise bad("ids", "give exactly one of ids or isrc")
    creator = edge.services.creator
    if ids is not None:
        found = await creator.catalog_tracks(viewer, int_list("ids", ids))
    else:
        found = await creator.catalog_tracks_by_isrc(viewer, csv_list("isrc", isrc))
    return collection(request, [track_at(request, t) for t in found])


@get("/tracks/{track_id:int}", opt=CATALOG)
async def get_track(
    request: Request[Any, Any, Any],
    viewer: NamedDependency[Viewer],
    edge: NamedDependency[EdgeContext],
    track_id: FromPath[int],
) -> representations.PartnerTrack:
    track = await edge.services.creator.catalog_track(viewer, track_id)
    return track_at(request, track)


async def _update_track(
    request: Request[Any, Any, Any],
    caller: NamedDependency[Caller],
    edge: NamedDependency[EdgeContext],
    track_id: FromPath[int],
    data: bodies.TrackPatch | bodies.TrackPolicyPatch,
) -> representations.PartnerTrack:
    track = await edge.services.creator.update_track(
        caller.viewer, track_id, bodies.track_changes(data), audit=audit_context(request, caller)
    )
    return track_at(request, track)


@patch("/tracks/{track_id:int}", opt=CATALOG)
async def update_track(
    request: Request[Any, Any, Any],
    caller: NamedDependency[Caller],
    edge: NamedDependency[EdgeContext],
    track_id: FromPath[int],
    data: bodies.TrackPatch,
) -> representations.PartnerTrack:
    """Change metadata; fields left out stay as they are."""
    return await _update_track(request, caller, edge, track_id, data)


@patch("/tracks/{track_id:int}/policy", opt=CATALOG)
async def update_track_policy(
    request: Request[Any, Any, Any],
    caller: NamedDependency[Caller],
    edge: NamedDependency[EdgeContext],
    track_id: FromPath[int],
    data: bodies.TrackPolicyPatch,
) -> representations.PartnerTrack:
    """Change release dates, territories, monetization or sharing."""
    return await _update_track(request, caller, edge, track_id, data)


@delete("/tracks/{track_id:int}", opt=CATALOG, status_code=204)
async def delete_track(
    request: Request[Any, Any, Any],
    caller: NamedDependency[Caller],
    edge: NamedDependency[EdgeContext],
    track_id: FromPath[int],
) -> None:
    await edge.services.creator.delete_audited(
        caller.viewer, track_id, audit=audit_context(request, caller)
    )


@get("/playlists/{playlist_id:int}", opt=CATALOG)
async def get_playlist(
    request: Request[Any, Any, Any],
    viewer: NamedDependency[Viewer],
    edge: NamedDependency[EdgeContext],
    playlist_id: FromPath[int],
) -> representations.PartnerPlaylist:
    playlist = await edge.services.creator.catalog_playlist(viewer, playlist_id)
    return playlist_at(request, playlist)


@patch("/playlists/{playlist_id:int}", opt=CATALOG)
async def update_playlist(
    request: Request[Any, Any, Any],
    caller: NamedDependency[Caller],
    edge: NamedDependency[EdgeContext],
    playlist_id: FromPath[int],
    data: bodies.PlaylistPatch,
) -> representations.PartnerPlaylist:
    playlist = await edge.services.creator.update_playlist(
        caller.viewer,
        playlist_id,
        data,
        audit=audit_context(request, caller),
    )
    return playlist_at(request, playlist)


@delete("/playlists/{playlist_id:int}", opt=CATALOG, status_code=204)
async def delete_playlist(
    request: Request[Any, Any, Any],
    caller: NamedDependency[Caller],
    edge: NamedDependency[EdgeContext],
    playlist_id: FromPath[int],
) -> None:
    await edge.services.creator.delete_playlist(
        caller.viewer, playlist_id, audit=audit_context(request, caller)
    )


ROUTES = [
    bulk_tracks,
    get_track,
    update_track,
    update_track_policy,
    delete_track,
    get_playlist,
    update_playlist,
    delete_playlist,
]
