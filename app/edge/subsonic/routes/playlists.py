"""Playlists: list, read, create (or replace the songs of), update and delete.

Albums are releases (`al-`); every other set (playlists, EPs, compilations …) is a playlist
(`pl-`). Players create private playlists unless told `public=true`.
"""

from __future__ import annotations

from litestar import Response
from litestar.di import NamedDependency

from app.edge.subsonic import mappers
from app.edge.subsonic import representations as rep
from app.edge.subsonic.dependencies import Player
from app.edge.subsonic.document import Doc, Param, boolean, ids, text
from app.edge.subsonic.embedding import SONG_MASK
from app.edge.subsonic.errors import missing, not_found
from app.edge.subsonic.params import MAX_PAGE, Kind
from app.edge.subsonic.routes import PLAYER_WRITE, endpoint
from app.value_added.common.fieldmask import FieldMask
from app.value_added.playlists import Playlist, PlaylistChanges, PlaylistDraft
from app.value_added.tracks import Track

ALBUM = "album"
LIST_MASK = FieldMask(
    ["title", "description", "set_type", "artwork_key", "created_at", "updated_at", "policy",
     "tracks.duration_ms"]
)  # fmt: skip
FULL_MASK = FieldMask(
    ["title", "description", "set_type", "artwork_key", "created_at", "updated_at", "policy",
     *(f"tracks.{p}" for p in SONG_MASK.paths)]
)  # fmt: skip
PAGE = 200
PLAYLIST = ids("id", ("playlist",), "The playlist", required=True)
SONGS: tuple[Kind, ...] = ("track",)


async def _playlist(player: Player, playlist_id: int, mask: FieldMask = FULL_MASK) -> Playlist:
    found = await player.services.playlists.get(player.viewer, playlist_id, mask)
    if found.set_type == ALBUM:
        raise not_found()  # (an album is read as a release: getAlbum)
    return found


async def _rep(player: Player, found: Playlist, with_songs: bool) -> rep.PlaylistWithSongs:
    tracks: list[Track] = found.tracks if isinstance(found.tracks, list) else []
    owners = await player.embed.users([found.user_id])
    editable = bool(getattr(found.policy, "can_edit", False))
    songs = await player.embed.songs(tracks) if with_songs else []
    return mappers.playlist(found, owners.get(found.user_id), tracks, songs, editable)


def _listed(found: rep.PlaylistWithSongs) -> rep.Playlist:
    return rep.Playlist(**{f: getattr(found, f) for f in rep.Playlist.__struct_fields__})


@endpoint(
    "getPlaylists",
    "Your playlists (or another user's public ones)",
    doc=Doc((text("username", "Another user (unknown: error 70)"),), ("playlists", rep.Playlists)),
)
async def get_playlists(player: NamedDependency[Player]) -> Response[bytes]:
    services, viewer = player.services, player.viewer
    username = player.call.one("username")
    user_id = viewer.user_id
    if username and username != player.listener.username:
        other = await services.users.resolve(viewer, username.lower(), FieldMask(["id"]))
        user_id = other.id
    assert user_id is not None
    found: list[Playlist] = []
    cursor: str | None = None
    while len(found) < MAX_PAGE:
        page = await services.playlists.by_user(viewer, user_id, LIST_MASK, cursor, PAGE)
        found.extend(p for p in page.items if p.set_type != ALBUM)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    listed = [_listed(await _rep(player, p, with_songs=False)) for p in found[:MAX_PAGE]]
    return player.ok(playlists=rep.Playlists(playlist=listed))


@endpoint(
    "getPlaylist",
    "A playlist with its songs",
    doc=Doc((PLAYLIST,), ("playlist", rep.PlaylistWithSongs)),
)
async def get_playlist(player: NamedDependency[Player]) -> Response[bytes]:
    ref = player.call.ref("id", "playlist")
    found = await _playlist(player, ref.id)
    return player.ok(playlist=await _rep(player, found, with_songs=True))


@endpoint(
    "createPlaylist",
    "Create a playlist, or replace the songs of one (playlistId)",
    PLAYER_WRITE,
    Doc(
        (
            ids("playlistId", ("playlist",), "The playlist whose songs to replace"),
            text("name", "The name (required without playlistId)"),
            ids("songId", SONGS, "The songs, in order", many=True),
            boolean("public", "Public (default: private)", default=False),
        ),
        ("playlist", rep.PlaylistWithSongs),
    ),
)
async def create_playlist(player: NamedDependency[Player]) -> Response[bytes]:
    call, services, viewer = player.call, player.services, player.viewer
    songs = [r.id for r in call.refs("songId", "track")]
    if call.has("playlistId"):
        ref = call.ref("playlistId", "playlist")
        await _playlist(player, ref.id, FieldMask(["set_type"]))
        await services.playlists.set_tracks(viewer, ref.id, songs)
        if call.has("name"):
            changes = PlaylistChanges(title=call.required("name"))
            await services.playlists.update(viewer, ref.id, changes)
        playlist_id = ref.id
    else:
        name = call.one("name")
        if not name:
            raise missing("name")
        sharing = "public" if call.boolean("public", False) else "private"
        draft = PlaylistDraft(title=name, sharing=sharing, track_ids=tuple(songs))
        playlist_id = (await services.playlists.create(viewer, draft)).id
    found = await _playlist(player, playlist_id)
    return player.ok(playlist=await _rep(player, found, with_songs=True))


@endpoint(
    "updatePlaylist",
    "Rename, describe, share, add songs to or remove songs from a playlist",
    PLAYER_WRITE,
    Doc(
        (
            ids("playlistId", ("playlist",), "The playlist", required=True),
            text("name", "A new name"),
            text("comment", "A new description"),
            boolean("public", "Public or private"),
            ids("songIdToAdd", SONGS, "Songs to add at the end", many=True),
            Param(
                "songIndexToRemove",
                {"type": "integer", "minimum": 0},
                "Positions of songs to remove (beyond the end: error 70)",
                many=True,
            ),
        ),
    ),
)
async def update_playlist(player: NamedDependency[Player]) -> Response[bytes]:
    """`songIndexToRemove` counts the songs you see; removing one removes every entry of
    that song."""
    call, services, viewer = player.call, player.services, player.viewer
    ref = call.ref("playlistId", "playlist")
    current = await _playlist(player, ref.id, FieldMask(["set_type", "track_ids"]))
    held = current.track_ids if isinstance(current.track_ids, list) else []
    removing = [held[_index(raw, len(held))] for raw in call.many("songIndexToRemove")]
    adding = [r.id for r in call.refs("songIdToAdd", "track")]
    values: dict[str, str] = {}
    if call.has("name"):
        values["title"] = call.required("name")
    if call.one("comment") is not None:
        values["description"] = call.one("comment") or ""
    if call.has("public"):
        values["sharing"] = "public" if call.boolean("public", False) else "private"
    if values:
        await services.playlists.update(viewer, ref.id, PlaylistChanges(**values))  # type: ignore[arg-type]
    for track_id in dict.fromkeys(removing):
        await services.playlists.remove_track(viewer, ref.id, track_id)
    if adding:
        await services.playlists.add_tracks(viewer, ref.id, adding)
    return player.ok()


def _index(raw: str, length: int) -> int:
    try:
        index = int(raw)
    except ValueError:
        raise not_found() from None
    if not 0 <= index < length:
        raise not_found()
    return index


@endpoint("deletePlaylist", "Delete a playlist", PLAYER_WRITE, Doc((PLAYLIST,)))
async def delete_playlist(player: NamedDependency[Player]) -> Response[bytes]:
    ref = player.call.ref("id", "playlist")
    await _playlist(player, ref.id, FieldMask(["set_type"]))
    await player.services.playlists.delete(player.viewer, ref.id)
    return player.ok()


ROUTES = [get_playlists, get_playlist, create_playlist, update_playlist, delete_playlist]
