"""Search: artists, releases and songs matching words (an empty query lists everything, as
OpenSubsonic allows, so players can sync a whole library)."""

from __future__ import annotations

from collections.abc import Awaitable

from litestar import Response
from litestar.di import NamedDependency

from app.edge.subsonic import representations as rep
from app.edge.subsonic.dependencies import Player, window
from app.edge.subsonic.document import Doc, integer, offset, text
from app.edge.subsonic.embedding import SONG_MASK
from app.edge.subsonic.params import MAX_PAGE
from app.edge.subsonic.routes import endpoint
from app.edge.subsonic.routes.browsing import ID_MASK
from app.edge.subsonic.routes.lists import EVERY_ACCESS, by_name
from app.value_added.common.cursor import Page
from app.value_added.common.fieldmask import FieldMask
from app.value_added.playlists import Album, AlbumRef
from app.value_added.tracks import Track, TrackQuery

MAX_QUERY = 200
SEARCH_PARAMS = (
    text(
        "query",
        f"Words to find (empty: everything; quotes and * are ignored; cut to {MAX_QUERY})",
        required=True,
        empty=True,
    ),
    integer("artistCount", 0, MAX_PAGE, "How many artists", default=20),
    offset("artistOffset"),
    integer("albumCount", 0, MAX_PAGE, "How many releases", default=20),
    offset("albumOffset"),
    integer("songCount", 0, MAX_PAGE, "How many songs", default=20),
    offset("songOffset"),
)


def _words(raw: str | None) -> str:
    """The query without the quotes and wildcards some players add (`""`, `abc*`)."""
    text = (raw or "").strip()[:MAX_QUERY]
    return text.strip("\"'").replace("*", " ").strip()


class Found:
    def __init__(self, artists: list[int], albums: list[Album], songs: list[Track]) -> None:
        self.artists, self.albums, self.songs = artists, albums, songs


async def _search(player: Player) -> Found:
    call = player.call
    if call.one("query") is None:
        call.required("query")
    text = _words(call.one("query"))
    services, viewer = player.services, player.viewer
    pages = player.pages
    key = (viewer.user_id, text.lower())

    async def artists_page(cursor: str | None, limit: int) -> Page[int]:
        if not text:
            return await services.tracks.artist_ids(viewer, cursor, limit)
        users = await services.users.search(viewer, text, ID_MASK, cursor, limit)
        kept = await services.tracks.artists_among(viewer, [u.id for u in users.items])
        return Page(items=kept, next_cursor=users.next_cursor)

    async def albums_page(cursor: str | None, limit: int) -> Page[Album]:
        if not text:
            return await by_name(player)(cursor, limit)
        found = await services.playlists.search(
            viewer, text, FieldMask(["id"]), cursor, limit, set_type="album"
        )
        refs = [AlbumRef(p.id) for p in found.items]
        items = await services.playlists.album_summaries(viewer, refs)
        return Page(items=items, next_cursor=found.next_cursor)

    def songs_page(cursor: str | None, limit: int) -> Awaitable[Page[Track]]:
        query = TrackQuery(text=text or None, access=EVERY_ACCESS)
        return services.tracks.search(viewer, query, SONG_MASK, cursor, limit)

    artist_ids: list[int] = []
    albums: list[Album] = []
    songs: list[Track] = []
    if size := call.integer("artistCount", 20, 0, MAX_PAGE):
        offset = call.offset("artistOffset")
        artist_ids = await window(pages, (*key, "artists"), artists_page, offset, size)
    if size := call.integer("albumCount", 20, 0, MAX_PAGE):
        offset = call.offset("albumOffset")
        albums = await window(pages, (*key, "albums"), albums_page, offset, size)
    if size := call.integer("songCount", 20, 0, MAX_PAGE):
        offset = call.offset("songOffset")
        songs = await window(pages, (*key, "songs"), songs_page, offset, size)
    return Found(artist_ids, albums, songs)


@endpoint(
    "search2",
    "Search artists, releases (as folders) and songs",
    doc=Doc(SEARCH_PARAMS, ("searchResult2", rep.SearchResult2)),
)
async def search2(player: NamedDependency[Player]) -> Response[bytes]:
    found = await _search(player)
    embed = player.embed
    result = rep.SearchResult2(
        artist=await embed.index_artists(found.artists),
        album=await embed.album_folders(found.albums),
        song=await embed.songs(found.songs),
    )
    return player.ok(searchResult2=result)


@endpoint(
    "search3",
    "Search artists, releases and songs (empty query: everything)",
    doc=Doc(SEARCH_PARAMS, ("searchResult3", rep.SearchResult3)),
)
async def search3(player: NamedDependency[Player]) -> Response[bytes]:
    found = await _search(player)
    embed = player.embed
    result = rep.SearchResult3(
        artist=await embed.artists(found.artists),
        album=await embed.albums(found.albums),
        song=await embed.songs(found.songs),
    )
    return player.ok(searchResult3=result)


ROUTES = [search2, search3]
