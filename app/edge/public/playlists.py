"""Playlists: search, one playlist, its tracks and reposters; create, update, delete."""

from __future__ import annotations

from functools import partial
from typing import Any

import msgspec
from litestar import Request, Response, delete, get, post, put

from app.edge.kit.context import EdgeContext
from app.edge.public import bodies, ids
from app.edge.public.views import (
    PLAYLIST_MASK,
    PLAYLIST_WITH_TRACKS_MASK,
    View,
    json,
    keep_access,
)
from app.value_added.access import Viewer
from app.value_added.common.errors import InvalidArgument
from app.value_added.common.fieldmask import FieldMask
from app.value_added.playlists import PlaylistChanges, PlaylistDraft

CATALOG = {"catalog": True}
Req = Request[Any, Any, Any]
TEXT_FIELDS = ("title", "description", "sharing", "set_type", "genre", "tag_list", "label_name")
TRACK_IDS = FieldMask(["track_ids"])


def mask_for(view: View) -> tuple[FieldMask, bool]:
    with_tracks = view.flag("show_tracks", True)
    return (PLAYLIST_WITH_TRACKS_MASK if with_tracks else PLAYLIST_MASK), with_tracks


async def one(view: View, playlist_id: int) -> dict[str, Any]:
    mask, with_tracks = mask_for(view)
    found = await view.services.playlists.get(view.viewer, playlist_id, mask, view.secret_token)
    if with_tracks and isinstance(found.tracks, list):
        found = msgspec.structs.replace(found, tracks=keep_access(found.tracks, view.access()))
    return (await view.playlists([found], with_tracks))[0]


@get("/playlists", opt=CATALOG)
async def search_playlists(request: Req, edge: EdgeContext, viewer: Viewer) -> Response[Any]:
    view = View(request, edge, viewer)
    mask, with_tracks = mask_for(view)
    text = (view.param("q") or "").strip() or None
    page = await view.services.playlists.search(viewer, text, mask, view.cursor, view.limit())
    return json(view.listing(await view.playlists(page.items, with_tracks), page.next_cursor))


@get("/playlists/{playlist_urn:str}", opt=CATALOG)
async def get_playlist(
    request: Req, edge: EdgeContext, viewer: Viewer, playlist_urn: str
) -> Response[Any]:
    view = View(request, edge, viewer)
    return json(await one(view, ids.parse(playlist_urn, "playlists")))


@get("/playlists/{playlist_urn:str}/tracks", opt=CATALOG)
async def playlist_tracks(
    request: Req, edge: EdgeContext, viewer: Viewer, playlist_urn: str
) -> Response[Any]:
    view = View(request, edge, viewer)
    found = await view.services.playlists.get(
        viewer, ids.parse(playlist_urn, "playlists"), PLAYLIST_WITH_TRACKS_MASK, view.secret_token
    )
    tracks = keep_access(found.tracks if isinstance(found.tracks, list) else [], view.access())
    return json(view.listing(await view.tracks(tracks), None))


@get("/playlists/{playlist_urn:str}/reposters", opt=CATALOG)
async def playlist_reposters(
    request: Req, edge: EdgeContext, viewer: Viewer, playlist_urn: str
) -> Response[Any]:
    view = View(request, edge, viewer)
    ident = ids.parse(playlist_urn, "playlists")
    return json(await view.people(partial(view.services.playlists.reposters, viewer, ident)))


def _track_ids(raw: dict[str, Any]) -> list[int] | None:
    listed = raw.get("tracks")
    if listed is None:
        return None
    if not isinstance(listed, list):
        raise InvalidArgument("tracks must be a list of {urn}", field="tracks")
    found: list[int] = []
    for entry in listed:
        ref = entry.get("urn", entry.get("id")) if isinstance(entry, dict) else entry
        found.append(ids.parse(str(ref), "tracks"))
    return found


@post("/playlists")
async def create_playlist(request: Req, edge: EdgeContext, viewer: Viewer) -> Response[Any]:
    view = View(request, edge, viewer)
    view.user_id()
    raw = await bodies.fields(request, "playlist")
    values = bodies.texts(raw, TEXT_FIELDS)
    values.setdefault("title", "")
    values["track_ids"] = tuple(_track_ids(raw) or ())
    created = await view.services.playlists.create(viewer, bodies.convert(values, PlaylistDraft))
    return json(await one(view, created.id), status=201)


async def _replace_tracks(view: View, playlist_id: int, wanted: list[int]) -> None:
    """PUT semantics for `tracks`: the playlist ends up holding exactly `wanted`, in order."""
    playlists = view.services.playlists
    current = await playlists.get(view.viewer, playlist_id, TRACK_IDS)
    present = list(current.track_ids) if isinstance(current.track_ids, list) else []
    for track_id in dict.fromkeys(t for t in present if t not in wanted):
        await playlists.remove_track(view.viewer, playlist_id, track_id)
    missing = [t for t in wanted if t not in present]
    if missing:
        await playlists.add_tracks(view.viewer, playlist_id, missing)
    if wanted:
        await playlists.reorder(view.viewer, playlist_id, wanted)


@put("/playlists/{playlist_urn:str}")
async def update_playlist(
    request: Req, edge: EdgeContext, viewer: Viewer, playlist_urn: str
) -> Response[Any]:
    view = View(request, edge, viewer)
    playlist_id = ids.parse(playlist_urn, "playlists")
    raw = await bodies.fields(request, "playlist")
    changes = bodies.convert(bodies.texts(raw, TEXT_FIELDS), PlaylistChanges)
    await view.services.playlists.update(viewer, playlist_id, changes)
    wanted = _track_ids(raw)
    if wanted is not None:
        await _replace_tracks(view, playlist_id, wanted)
    return json(await one(view, playlist_id))


@delete("/playlists/{playlist_urn:str}", status_code=200)
async def delete_playlist(
    request: Req, edge: EdgeContext, viewer: Viewer, playlist_urn: str
) -> Response[Any]:
    await edge.services.playlists.delete(viewer, ids.parse(playlist_urn, "playlists"))
    return json({"status": "200 - OK"})


ROUTES = [
    search_playlists,
    get_playlist,
    playlist_tracks,
    playlist_reposters,
    create_playlist,
    update_playlist,
    delete_playlist,
]
