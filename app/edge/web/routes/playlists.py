"""Playlists and albums: get, create, delete, likers and reposters."""

from __future__ import annotations

from functools import partial
from typing import Any

from litestar import Request, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, JSONBody

from app.edge.kit.context import EdgeContext
from app.edge.kit.routes import CATALOG, WRITE
from app.edge.web.embedding import ListQuery, playlists_page
from app.edge.web.mappers.playlists import PLAYLIST
from app.edge.web.params import NewPlaylistBody, PlaylistFields, PlaylistRef, entity_id
from app.edge.web.representations.pages import UserCollection
from app.edge.web.representations.playlists import BasicAlbumPlaylist
from app.value_added.access import Viewer
from app.value_added.playlists import PlaylistDraft


@get("/playlists/{playlist_id:str}", opt=CATALOG)
async def playlist(
    request: Request[Any, Any, Any],
    edge: NamedDependency[EdgeContext],
    viewer: NamedDependency[Viewer],
    playlist_id: PlaylistRef,
    secret_token: FromQuery[str | None] = None,
    fields: PlaylistFields = None,
) -> BasicAlbumPlaylist:
    selection = PLAYLIST.select(fields)
    found = await edge.services.playlists.get(
        viewer, entity_id(playlist_id, "playlists"), selection.mask, secret_token
    )
    return (await playlists_page(edge, viewer, request, [found], selection, PLAYLIST))[0]


@post("/playlists", opt=WRITE)
async def create_playlist(
    request: Request[Any, Any, Any],
    edge: NamedDependency[EdgeContext],
    viewer: NamedDependency[Viewer],
    data: JSONBody[NewPlaylistBody],
) -> BasicAlbumPlaylist:
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
    rendered = await playlists_page(edge, viewer, request, [created], PLAYLIST.all(), PLAYLIST)
    return rendered[0]


@delete("/playlists/{playlist_id:str}", opt=WRITE)
async def delete_playlist(
    edge: NamedDependency[EdgeContext], viewer: NamedDependency[Viewer], playlist_id: PlaylistRef
) -> None:
    await edge.services.playlists.delete(viewer, entity_id(playlist_id, "playlists"))


@get("/playlists/{playlist_id:str}/likers", opt=CATALOG)
async def playlist_likers(
    playlist_id: PlaylistRef, user_list: NamedDependency[ListQuery]
) -> UserCollection:
    ident = entity_id(playlist_id, "playlists")
    playlists = user_list.edge.services.playlists
    return await user_list.people(partial(playlists.likers, user_list.viewer, ident))


@get("/playlists/{playlist_id:str}/reposters", opt=CATALOG)
async def playlist_reposters(
    playlist_id: PlaylistRef, user_list: NamedDependency[ListQuery]
) -> UserCollection:
    ident = entity_id(playlist_id, "playlists")
    playlists = user_list.edge.services.playlists
    return await user_list.people(partial(playlists.reposters, user_list.viewer, ident))


ROUTES = [playlist, create_playlist, delete_playlist, playlist_likers, playlist_reposters]
