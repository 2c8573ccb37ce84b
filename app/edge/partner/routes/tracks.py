"""Managed tracks by id: bulk reads (ids or ISRCs), edits, policies, deletion."""

from __future__ import annotations

from typing import Any

from litestar import Request, delete, get, patch
from litestar.di import NamedDependency
from litestar.params import JSONBody

from app.edge.kit.bounds import PathId
from app.edge.kit.caller import Caller
from app.edge.kit.context import EdgeContext
from app.edge.partner.mappers import collection
from app.edge.partner.params.audit import audit_context
from app.edge.partner.params.bodies import TrackPatch, TrackPolicyPatch, strictly, track_changes
from app.edge.partner.params.query import IdList, IsrcList, listed, listed_ids
from app.edge.partner.representations import Collection, PartnerTrack
from app.edge.partner.routes import MANAGE, tracks_at
from app.value_added.access import Viewer


@get("/tracks", opt=MANAGE)
async def bulk_tracks(
    request: Request[Any, Any, Any],
    viewer: NamedDependency[Viewer],
    edge: NamedDependency[EdgeContext],
    ids: IdList = None,
    isrc: IsrcList = None,
) -> Collection[PartnerTrack]:
    """The tracks named by `ids`, then those named by `isrc` (each up to 200), in request
    order and each once; unmanaged and unknown ones are left out (none named: none listed)."""
    creator = edge.services.creator
    found = list(await creator.catalog_tracks(viewer, listed_ids("ids", ids))) if ids else []
    if isrc:
        found += await creator.catalog_tracks_by_isrc(viewer, listed(isrc))
    unique = list({track.id: track for track in found}.values())
    return collection(request, await tracks_at(request, edge, viewer, unique))


@get("/tracks/{track_id:int}", opt=MANAGE)
async def get_track(
    request: Request[Any, Any, Any],
    viewer: NamedDependency[Viewer],
    edge: NamedDependency[EdgeContext],
    track_id: PathId,
) -> PartnerTrack:
    track = await edge.services.creator.catalog_track(viewer, track_id)
    return (await tracks_at(request, edge, viewer, [track]))[0]


async def _update_track(
    request: Request[Any, Any, Any],
    caller: NamedDependency[Caller],
    edge: NamedDependency[EdgeContext],
    track_id: PathId,
    data: TrackPatch | TrackPolicyPatch,
) -> PartnerTrack:
    track = await edge.services.creator.update_track(
        caller.viewer, track_id, track_changes(data), audit=audit_context(request, caller)
    )
    return (await tracks_at(request, edge, caller.viewer, [track]))[0]


@patch("/tracks/{track_id:int}", opt=MANAGE)
async def update_track(
    request: Request[Any, Any, Any],
    caller: NamedDependency[Caller],
    edge: NamedDependency[EdgeContext],
    track_id: PathId,
    data: JSONBody[TrackPatch],
) -> PartnerTrack:
    """Change metadata; fields left out stay as they are."""
    data = await strictly(request, data)
    return await _update_track(request, caller, edge, track_id, data)


@patch("/tracks/{track_id:int}/policy", opt=MANAGE)
async def update_track_policy(
    request: Request[Any, Any, Any],
    caller: NamedDependency[Caller],
    edge: NamedDependency[EdgeContext],
    track_id: PathId,
    data: JSONBody[TrackPolicyPatch],
) -> PartnerTrack:
    """Change release dates, territories, monetization or sharing."""
    data = await strictly(request, data)
    return await _update_track(request, caller, edge, track_id, data)


@delete("/tracks/{track_id:int}", opt=MANAGE, status_code=204)
async def delete_track(
    request: Request[Any, Any, Any],
    caller: NamedDependency[Caller],
    edge: NamedDependency[EdgeContext],
    track_id: PathId,
) -> None:
    await edge.services.creator.delete_audited(
        caller.viewer, track_id, audit=audit_context(request, caller)
    )


ROUTES = [bulk_tracks, get_track, update_track, update_track_policy, delete_track]
