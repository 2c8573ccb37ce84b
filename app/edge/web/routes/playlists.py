"""Playlists and albums: get, create, delete, likers and reposters."""

from __future__ import annotations

from functools import partial
from typing import Any

import msgspec
from litestar import Request, delete, get, post

from app.edge.kit.context import EdgeContext
from app.edge.web.embed import playlists_page
from app.edge.web.lists import ListQuery
from app.edge.web.params import entity_id
from app.edge.web.playlists_repr import PLAYLIST
from app.value_added.access import Viewer
from app.value_added.playlists import PlaylistDraft

CATALOG = {"catalog": True}


class NewPlaylist(msgspec.Struct, frozen=True):
    title: str
    sharing: str = "public"
    tracks: list[int] = []
    description: str = ""
    set_type: str = "playlist"
    tag_list: str = ""
    genre: str = ""


class NewPlaylistBody(msgspec.Struct, frozen=True):
    """api-v2's POST /playlists body: `{"playlist": {"title", "sharing", "tracks": [ids]}}`."""

    playlist: NewPlaylist


@get("/playlists/{playlist_id:str}", opt=CATALOG)
async def playlist(
    request: Request[Any, Any, Any],
    edge: EdgeContext,
    viewer: Viewer,
    playlist_id: str,
    secret_token: str | None = None,
    fields: str | None = None,
) -> dict[str, Any]:
    selection = PLAYLIST.select(fields)
    found = await edge.services.playlists.get(
        viewer, entity_id(playlist_id, "playlists"), selection.mask, secret_token
    )
    return (await playlists_page(edge, viewer, request, [found], selection))[0]


@post("/playlists")
async def create_playlist(
    request: Request[Any, Any, Any], edge: EdgeContext, viewer: Viewer, data: NewPlaylistBody
) -> dict[str, Any]:
    p = data.playlist
    draft = PlaylistDraft(
        title=p.title,
        sharing=p.sharing,
        description=p.description,
        set_type=p.set_type,
        tag_list=p.tag_list,
        genre=p.genre,
        track_ids=tuple(p.tracks),
    )
    created = await edge.services.playlists.create(viewer, draft)
    return (await playlists_page(edge, viewer, request, [created], PLAYLIST.all()))[0]


@delete("/playlists/{playlist_id:str}")
async def delete_playlist(edge: EdgeContext, viewer: Viewer, playlist_id: str) -> None:
    await edge.services.playlists.delete(viewer, entity_id(playlist_id, "playlists"))


@get("/playlists/{playlist_id:str}/likers", opt=CATALOG)
async def playlist_likers(playlist_id: str, listing: ListQuery) -> dict[str, Any]:
    ident = entity_id(playlist_id, "playlists")
    playlists = listing.edge.services.playlists
    return await listing.people(partial(playlists.likers, listing.viewer, ident))


@get("/playlists/{playlist_id:str}/reposters", opt=CATALOG)
async def playlist_reposters(playlist_id: str, listing: ListQuery) -> dict[str, Any]:
    ident = entity_id(playlist_id, "playlists")
    playlists = listing.edge.services.playlists
    return await listing.people(partial(playlists.reposters, listing.viewer, ident))
