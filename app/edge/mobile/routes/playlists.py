"""Playlist reads and commands: create, edit, delete, entries, order, like and repost."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from litestar import Request, Response, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromQuery, JSONBody

from app.edge.kit.bounds import PathId
from app.edge.kit.openapi import link, linked
from app.edge.kit.representation import Encoded
from app.edge.kit.routes import CATALOG, WRITE
from app.edge.mobile import mappers
from app.edge.mobile import representations as rep
from app.edge.mobile.dependencies import embedder_of
from app.edge.mobile.embedding import Embedder
from app.edge.mobile.params import (
    NewPlaylist,
    PlaylistFields,
    PlaylistPatch,
    TrackIds,
    playlist_mask,
)
from app.value_added.common.errors import NotFound, Unprocessable
from app.value_added.common.fieldmask import FieldMask

PLAYLIST = "/playlists/{playlist_id:int}"
ENTRY = f"{PLAYLIST}/tracks/{{track_id:int}}"
_ID = {"playlist_id": "$response.body#/id"}
_PLAYLIST_LINKS = {
    "GetPlaylist": link(PLAYLIST, "get", **_ID),
    "UpdatePlaylist": link(PLAYLIST, "patch", **_ID),
    "DeletePlaylist": link(PLAYLIST, "delete", **_ID),
    "AddTracks": link(f"{PLAYLIST}/tracks", "post", **_ID),
    "RemoveFirstTrack": link(ENTRY, "delete", **_ID, track_id="$response.body#/track_ids/0"),
    "Reorder": link(f"{PLAYLIST}/order", "put", **_ID),
    "LikePlaylist": link(f"{PLAYLIST}/like", "post", **_ID),
    "UnlikePlaylist": link(f"{PLAYLIST}/like", "delete", **_ID),
    "RepostPlaylist": link(f"{PLAYLIST}/repost", "post", **_ID),
    "UnrepostPlaylist": link(f"{PLAYLIST}/repost", "delete", **_ID),
}
PLAYLIST_LINKS = linked(_PLAYLIST_LINKS)
"""Where an answer holding a playlist leads: its own operations, by its id."""
ADDED_LINKS = linked(
    _PLAYLIST_LINKS
    | {
        "RemoveFirstTrack": link(
            ENTRY,
            "delete",
            playlist_id="$request.path.playlist_id",
            track_id="$request.body#/track_ids/0",
        )
    }
)
"""After adding tracks: the playlist's operations, and removing the first track added."""


async def _current(embed: Embedder, playlist_id: int) -> rep.PlaylistRep:
    found = await embed.services.playlists.get(embed.viewer, playlist_id, FieldMask.all())
    return (await embed.playlists([found]))[0]


@get(
    PLAYLIST,
    opt=CATALOG,
    operation_class=PLAYLIST_LINKS,
    summary="A playlist with its visible tracks and every owner",
)
async def get_playlist(
    playlist_id: PathId,
    request: Request[Any, Any, Any],
    fields: PlaylistFields = None,
    secret_token: FromQuery[str | None] = None,
) -> Response[rep.PlaylistRep]:
    embed = embedder_of(request)
    mask = playlist_mask(fields)
    found = await embed.services.playlists.get(embed.viewer, playlist_id, mask.vas, secret_token)
    tracks = mask.mobile.sub("tracks")
    embedded = await embed.playlists([found], mask.wants("user"), tracks.wants("user"))
    return Encoded(embedded[0])


@post(
    "/playlists",
    opt=WRITE,
    operation_class=PLAYLIST_LINKS,
    summary="Create a playlist (optionally with tracks)",
)
async def create_playlist(
    data: JSONBody[NewPlaylist], embed: NamedDependency[Embedder]
) -> rep.PlaylistRep:
    with named_tracks():
        created = await embed.services.playlists.create(embed.viewer, data)
    return (await embed.playlists([created]))[0]


@patch(
    PLAYLIST,
    opt=WRITE,
    operation_class=PLAYLIST_LINKS,
    summary="Change a playlist's metadata (only the fields sent)",
)
async def update_playlist(
    playlist_id: PathId, data: JSONBody[PlaylistPatch], embed: NamedDependency[Embedder]
) -> rep.PlaylistRep:
    updated = await embed.services.playlists.update(embed.viewer, playlist_id, data)
    return (await embed.playlists([updated]))[0]


@delete(PLAYLIST, opt=WRITE, summary="Delete a playlist")
async def delete_playlist(playlist_id: PathId, embed: NamedDependency[Embedder]) -> None:
    await embed.services.playlists.delete(embed.viewer, playlist_id)


@contextmanager
def named_tracks() -> Iterator[None]:
    """A track the body names that the viewer cannot see (missing or hidden alike) is a 422
    `unknown_track` naming it: the URL's playlist is there, the body refers to nothing."""
    try:
        yield
    except NotFound as exc:
        if exc.field != "tracks":
            raise
        raise Unprocessable(exc.message, reason="unknown_track", field="tracks") from exc


@post(
    f"{PLAYLIST}/tracks",
    opt=WRITE,
    status_code=200,
    operation_class=ADDED_LINKS,
    summary="Append tracks; returns the playlist",
)
async def add_tracks(
    playlist_id: PathId, data: JSONBody[TrackIds], request: Request[Any, Any, Any]
) -> Response[rep.PlaylistRep]:
    embed = embedder_of(request)
    with named_tracks():
        await embed.services.playlists.add_tracks(embed.viewer, playlist_id, data.track_ids)
    return Encoded(await _current(embed, playlist_id))


@delete(
    ENTRY,
    opt=WRITE,
    status_code=200,
    operation_class=PLAYLIST_LINKS,
    summary="Remove a track; returns the playlist",
)
async def remove_track(
    playlist_id: PathId, track_id: PathId, embed: NamedDependency[Embedder]
) -> rep.PlaylistRep:
    await embed.services.playlists.remove_track(embed.viewer, playlist_id, track_id)
    return await _current(embed, playlist_id)


@put(
    f"{PLAYLIST}/order",
    opt=WRITE,
    operation_class=PLAYLIST_LINKS,
    summary="Put the named tracks first, in this order",
)
async def reorder(
    playlist_id: PathId, data: JSONBody[TrackIds], embed: NamedDependency[Embedder]
) -> rep.PlaylistRep:
    await embed.services.playlists.reorder(embed.viewer, playlist_id, data.track_ids)
    return await _current(embed, playlist_id)


@post(f"{PLAYLIST}/like", opt=WRITE, status_code=200, summary="Like a playlist (idempotent)")
async def like_playlist(
    playlist_id: PathId, request: Request[Any, Any, Any]
) -> Response[rep.LikeState]:
    embed = embedder_of(request)
    return Encoded(
        mappers.like_state(await embed.services.playlists.like(embed.viewer, playlist_id))
    )


@delete(f"{PLAYLIST}/like", opt=WRITE, status_code=200, summary="Unlike a playlist (idempotent)")
async def unlike_playlist(
    playlist_id: PathId, request: Request[Any, Any, Any]
) -> Response[rep.LikeState]:
    embed = embedder_of(request)
    return Encoded(
        mappers.like_state(await embed.services.playlists.unlike(embed.viewer, playlist_id))
    )


@post(f"{PLAYLIST}/repost", opt=WRITE, status_code=200, summary="Repost a playlist (idempotent)")
async def repost_playlist(
    playlist_id: PathId, request: Request[Any, Any, Any]
) -> Response[rep.RepostState]:
    embed = embedder_of(request)
    return Encoded(
        mappers.repost_state(await embed.services.playlists.repost(embed.viewer, playlist_id))
    )


@delete(
    f"{PLAYLIST}/repost", opt=WRITE, status_code=200, summary="Undo a playlist repost (idempotent)"
)
async def unrepost_playlist(
    playlist_id: PathId, request: Request[Any, Any, Any]
) -> Response[rep.RepostState]:
    embed = embedder_of(request)
    return Encoded(
        mappers.repost_state(await embed.services.playlists.unrepost(embed.viewer, playlist_id))
    )


ROUTES = [
    get_playlist,
    create_playlist,
    update_playlist,
    delete_playlist,
    add_tracks,
    remove_track,
    reorder,
    like_playlist,
    unlike_playlist,
    repost_playlist,
    unrepost_playlist,
]
