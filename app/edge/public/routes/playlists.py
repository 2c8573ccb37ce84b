"""Playlists: search, one playlist, its tracks and reposters; create, update, delete."""

from __future__ import annotations

from functools import partial
from typing import Any

import msgspec
from litestar import Request, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath

from app.edge.kit.openapi import described
from app.edge.kit.representation import Encoded
from app.edge.kit.routes import CATALOG, WRITE
from app.edge.public import representations as rep
from app.edge.public.dependencies import embedder_of
from app.edge.public.embedding import Embedder, keep_access
from app.edge.public.mappers import PLAYLIST_MASK, PLAYLIST_WITH_TRACKS_MASK
from app.edge.public.params import bodies, ids, schemas
from app.edge.public.params import query_schemas as q
from app.edge.public.params.query import DEFAULT_ACCESS
from app.edge.public.routes import json
from app.value_added.common.fieldmask import FieldMask
from app.value_added.playlists import PlaylistChanges, PlaylistDraft

TRACK_IDS = FieldMask(["track_ids"])


def mask_for(embed: Embedder) -> tuple[FieldMask, bool]:
    with_tracks = embed.query.flag("show_tracks", True)
    return (PLAYLIST_WITH_TRACKS_MASK if with_tracks else PLAYLIST_MASK), with_tracks


async def one(embed: Embedder, playlist_id: int) -> rep.Playlist:
    mask, with_tracks = mask_for(embed)
    query = embed.query
    found = await embed.services.playlists.get(embed.viewer, playlist_id, mask, query.secret_token)
    if with_tracks and isinstance(found.tracks, list):
        found = msgspec.structs.replace(found, tracks=keep_access(found.tracks, query.access()))
    return (await embed.playlists([found], with_tracks))[0]


@get("/playlists", opt=CATALOG, operation_class=described(parameters=q.SEARCH_PLAYLISTS))
async def search_playlists(embed: NamedDependency[Embedder]) -> Response[rep.PlaylistListing]:
    mask, with_tracks = mask_for(embed)
    query = embed.query
    text = query.text
    page = await embed.services.playlists.search(
        embed.viewer, text, mask, query.cursor, query.limit()
    )
    playlists = await embed.playlists(page.items, with_tracks)
    return json(embed.listing(rep.Playlists, playlists, page.next_cursor))


@get("/playlists/{playlist_urn:str}", opt=CATALOG, operation_class=described(parameters=q.PLAYLIST))
async def get_playlist(
    request: Request[Any, Any, Any], playlist_urn: FromPath[str]
) -> Response[rep.Playlist]:
    embed = embedder_of(request)
    return Encoded(await one(embed, ids.parse(playlist_urn, "playlists")))


@get(
    "/playlists/{playlist_urn:str}/tracks",
    opt=CATALOG,
    operation_class=described(parameters=(*q.SECRET, q.LINKED, q.access(DEFAULT_ACCESS))),
)
async def playlist_tracks(
    request: Request[Any, Any, Any], playlist_urn: FromPath[str]
) -> Response[rep.TrackListing]:
    embed = embedder_of(request)
    query = embed.query
    found = await embed.services.playlists.get(
        embed.viewer,
        ids.parse(playlist_urn, "playlists"),
        PLAYLIST_WITH_TRACKS_MASK,
        query.secret_token,
    )
    tracks = keep_access(found.tracks if isinstance(found.tracks, list) else [], query.access())
    return Encoded(embed.listing(rep.Tracks, await embed.tracks(tracks), None))


@get(
    "/playlists/{playlist_urn:str}/reposters",
    opt=CATALOG,
    operation_class=described(parameters=q.PAGE),
)
async def playlist_reposters(
    embed: NamedDependency[Embedder], playlist_urn: FromPath[str]
) -> Response[rep.Users]:
    ident = ids.parse(playlist_urn, "playlists")
    return json(
        await embed.people(partial(embed.services.playlists.reposters, embed.viewer, ident))
    )


@post(
    "/playlists",
    opt=WRITE,
    operation_class=described(body=schemas.NEW_PLAYLIST, parameters=q.PLAYLIST),
)
async def create_playlist(
    request: Request[Any, Any, Any], embed: NamedDependency[Embedder]
) -> Response[rep.Playlist]:
    raw = await bodies.fields(request, "playlist")
    values = bodies.texts(raw, bodies.PLAYLIST_TEXT_FIELDS)
    values.setdefault("title", "")
    values["track_ids"] = tuple(bodies.track_ids(raw) or ())
    draft = bodies.convert(values, PlaylistDraft)
    created = await embed.services.playlists.create(embed.viewer, draft)
    return json(await one(embed, created.id), status=201)


async def _replace_tracks(embed: Embedder, playlist_id: int, wanted: list[int]) -> None:
    """PUT semantics for `tracks`: the playlist ends up holding exactly `wanted`, in order."""
    playlists, viewer = embed.services.playlists, embed.viewer
    current = await playlists.get(viewer, playlist_id, TRACK_IDS)
    present = list(current.track_ids) if isinstance(current.track_ids, list) else []
    for track_id in dict.fromkeys(t for t in present if t not in wanted):
        await playlists.remove_track(viewer, playlist_id, track_id)
    missing = [t for t in wanted if t not in present]
    if missing:
        await playlists.add_tracks(viewer, playlist_id, missing)
    if wanted:
        await playlists.reorder(viewer, playlist_id, wanted)


@put(
    "/playlists/{playlist_urn:str}",
    opt=WRITE,
    operation_class=described(body=schemas.PLAYLIST_CHANGES, parameters=q.PLAYLIST),
)
async def update_playlist(
    request: Request[Any, Any, Any], embed: NamedDependency[Embedder], playlist_urn: FromPath[str]
) -> Response[rep.Playlist]:
    playlist_id = ids.parse(playlist_urn, "playlists")
    raw = await bodies.fields(request, "playlist")
    changes = bodies.convert(bodies.texts(raw, bodies.PLAYLIST_TEXT_FIELDS), PlaylistChanges)
    await embed.services.playlists.update(embed.viewer, playlist_id, changes)
    wanted = bodies.track_ids(raw)
    if wanted is not None:
        await _replace_tracks(embed, playlist_id, wanted)
    return json(await one(embed, playlist_id))


@delete("/playlists/{playlist_urn:str}", opt=WRITE, status_code=200)
async def delete_playlist(
    embed: NamedDependency[Embedder], playlist_urn: FromPath[str]
) -> Response[rep.Status]:
    await embed.services.playlists.delete(embed.viewer, ids.parse(playlist_urn, "playlists"))
    return json(rep.OK)


ROUTES = [
    search_playlists,
    get_playlist,
    playlist_tracks,
    playlist_reposters,
    create_playlist,
    update_playlist,
    delete_playlist,
]
