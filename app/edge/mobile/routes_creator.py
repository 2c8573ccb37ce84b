"""Creator commands from the app: create (metadata), edit and delete one's tracks."""

from __future__ import annotations

from litestar import delete, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.edge.kit.caller import Caller
from app.edge.mobile import mappers
from app.edge.mobile import representations as rep
from app.edge.mobile.bodies import NewTrack, TrackPatch
from app.edge.mobile.deps import signed_in_user
from app.edge.mobile.embedding import Embedder

TRACK = "/tracks/{track_id:int}"


@post("/tracks", summary="Create a track from its metadata (audio is uploaded separately)")
async def create_track(
    data: JSONBody[NewTrack], caller: NamedDependency[Caller], embed: NamedDependency[Embedder]
) -> rep.OwnTrackRep:
    created = await embed.services.creator.create_track(embed.viewer, signed_in_user(caller), data)
    return mappers.own_track(created, embed.artwork)


@patch(TRACK, summary="Change a track's metadata or policy (only the fields sent)")
async def update_track(
    track_id: FromPath[int], data: JSONBody[TrackPatch], embed: NamedDependency[Embedder]
) -> rep.OwnTrackRep:
    updated = await embed.services.creator.update_track(embed.viewer, track_id, data)
    return mappers.own_track(updated, embed.artwork)


@delete(TRACK, summary="Delete a track and everything hanging off it")
async def delete_track(track_id: FromPath[int], embed: NamedDependency[Embedder]) -> None:
    await embed.services.creator.delete_track(embed.viewer, track_id)


ROUTES = [create_track, update_track, delete_track]
