"""Managed creators, and the tracks (uploads included) and playlists of one managed creator."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, JSONBody

from app.edge.kit.bounds import PageLimit, PathId
from app.edge.kit.caller import Caller
from app.edge.kit.context import EdgeContext
from app.edge.kit.openapi import described
from app.edge.kit.routes import upload
from app.edge.partner import mappers
from app.edge.partner.mappers import collection, playlist_at, uri
from app.edge.partner.params.audit import audit_context
from app.edge.partner.params.bodies import PlaylistCreate, TrackCreate, strictly
from app.edge.partner.params.query import SetTypeFilter
from app.edge.partner.params.uploads import (
    UPLOAD_BODY,
    fields_until_file,
    file_chunks,
    upload_boundary,
    upload_draft,
    upload_events,
)
from app.edge.partner.representations import (
    Collection,
    PartnerCreator,
    PartnerPlaylist,
    PartnerTrack,
)
from app.edge.partner.routes import MANAGE, tracks_at
from app.value_added.access import Viewer
from app.value_added.common.fieldmask import FieldMask

CREATOR_MASK = FieldMask(["username", "permalink", "full_name", "country", "stats"])


@get("/creators", opt=MANAGE)
async def list_creators(
    request: Request[Any, Any, Any],
    viewer: NamedDependency[Viewer],
    edge: NamedDependency[EdgeContext],
) -> Collection[PartnerCreator]:
    """The creators who granted this app management of their catalog."""
    ids = edge.services.creator.managed_creator_ids(viewer)
    users = await edge.services.users.get_many(viewer, ids, CREATOR_MASK)
    return collection(
        request, [mappers.creator(u, uri(request, f"/creators/{u.id}")) for u in users]
    )


@get("/creators/{user_id:int}", opt=MANAGE)
async def get_creator(
    request: Request[Any, Any, Any],
    viewer: NamedDependency[Viewer],
    edge: NamedDependency[EdgeContext],
    user_id: PathId,
) -> PartnerCreator:
    edge.services.creator.require_catalog(viewer, user_id)
    user = await edge.services.users.get(viewer, user_id, CREATOR_MASK)
    return mappers.creator(user, uri(request, f"/creators/{user_id}"))


@get("/creators/{user_id:int}/tracks", opt=MANAGE)
async def list_tracks(
    request: Request[Any, Any, Any],
    viewer: NamedDependency[Viewer],
    edge: NamedDependency[EdgeContext],
    user_id: PathId,
    limit: PageLimit = None,
    cursor: FromQuery[str | None] = None,
) -> Collection[PartnerTrack]:
    """Every track of the creator: private, unreleased and taken-down ones included."""
    creator = edge.services.creator
    creator.require_catalog(viewer, user_id)
    page = await creator.my_tracks(viewer, user_id, cursor, limit)
    items = await tracks_at(request, edge, viewer, page.items)
    return collection(request, items, page.next_cursor)


@post("/creators/{user_id:int}/tracks", opt=MANAGE)
async def create_track(
    request: Request[Any, Any, Any],
    caller: NamedDependency[Caller],
    edge: NamedDependency[EdgeContext],
    user_id: PathId,
    data: JSONBody[TrackCreate],
) -> PartnerTrack:
    data = await strictly(request, data)
    creator = edge.services.creator
    creator.require_catalog(caller.viewer, user_id)
    track = await creator.create_track(
        caller.viewer, user_id, data, audit=audit_context(request, caller)
    )
    return (await tracks_at(request, edge, caller.viewer, [track]))[0]


@get("/creators/{user_id:int}/playlists", opt=MANAGE)
async def list_playlists(
    request: Request[Any, Any, Any],
    viewer: NamedDependency[Viewer],
    edge: NamedDependency[EdgeContext],
    user_id: PathId,
    set_type: SetTypeFilter = None,
    limit: PageLimit = None,
    cursor: FromQuery[str | None] = None,
) -> Collection[PartnerPlaylist]:
    """The creator's playlists; `set_type=album` lists only albums."""
    page = await edge.services.creator.catalog_playlists(viewer, user_id, set_type, cursor, limit)
    items = [playlist_at(request, p) for p in page.items]
    return collection(request, items, page.next_cursor)


@post("/creators/{user_id:int}/playlists", opt=MANAGE)
async def create_playlist(
    request: Request[Any, Any, Any],
    caller: NamedDependency[Caller],
    edge: NamedDependency[EdgeContext],
    user_id: PathId,
    data: JSONBody[PlaylistCreate],
) -> PartnerPlaylist:
    data = await strictly(request, data)
    creator = edge.services.creator
    creator.require_catalog(caller.viewer, user_id)
    playlist = await creator.create_playlist(
        caller.viewer, user_id, data, audit=audit_context(request, caller)
    )
    return playlist_at(request, playlist)


# The body is parsed as it arrives and the file streamed to the media pipeline, which bounds it
# by MAX_UPLOAD_BYTES (413 `upload_too_large`, nothing stored), as the gateway bounds the whole
# body (kit.body_limit); form fields are bounded in params.py, nothing after the file is read.
@post(
    "/creators/{user_id:int}/tracks/upload",
    opt=upload(MANAGE),
    operation_class=described(body=UPLOAD_BODY),
)
async def upload_track(
    request: Request[Any, Any, Any],
    caller: NamedDependency[Caller],
    edge: NamedDependency[EdgeContext],
    user_id: PathId,
) -> PartnerTrack:
    """multipart/form-data streamed into the media pipeline, never buffered whole: the form
    fields before the `file` part are read (a `metadata` part holds the track's JSON, as for
    POST …/tracks), then the `file` part's bytes go to the pipeline chunk by chunk."""
    creator = edge.services.creator
    creator.require_catalog(caller.viewer, user_id)
    events = upload_events(request, upload_boundary(request))
    try:
        fields, file_part = await fields_until_file(events)
        filename = str(file_part.filename or "upload")
        track = await creator.upload_audited(
            caller.viewer,
            user_id,
            upload_draft(fields, filename),
            file_chunks(events),
            filename,
            str(file_part.content_type or "application/octet-stream"),
            audit=audit_context(request, caller),
        )
    finally:
        await events.aclose()
    return (await tracks_at(request, edge, caller.viewer, [track]))[0]


ROUTES = [
    list_creators,
    get_creator,
    list_tracks,
    create_track,
    list_playlists,
    create_playlist,
    upload_track,
]
