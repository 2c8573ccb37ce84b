"""Lists: album lists of every type, random songs, songs by genre, and what the caller starred.

Album lists that follow tracks (newest, byGenre, byYear, recent, frequent, random) are read
from a bounded window of tracks (the newest MAX_WINDOW_TRACKS matching, the caller's last plays,
…) and give each release once, where its first track of the window falls (byYear: ordered by
year, descending when fromYear > toYear, as the API defines). Alphabetical lists
and starred albums page through keyset listings underneath (see dependencies.window).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from litestar import Response
from litestar.di import NamedDependency

from app.edge.subsonic import errors, mappers
from app.edge.subsonic import representations as rep
from app.edge.subsonic.dependencies import Player, window
from app.edge.subsonic.document import Doc, choice, integer, offset, size, text
from app.edge.subsonic.embedding import SONG_MASK
from app.edge.subsonic.errors import SubsonicError, invalid
from app.edge.subsonic.routes import endpoint
from app.edge.subsonic.routes.browsing import ID_MASK
from app.value_added.access import Access
from app.value_added.common.cursor import Page
from app.value_added.common.fieldmask import FieldMask
from app.value_added.playlists import Album, AlbumRef
from app.value_added.tracks import Track, TrackQuery

T = TypeVar("T")
EVERY_ACCESS: frozenset[Access] = frozenset({"playable", "preview", "blocked"})
MAX_WINDOW_TRACKS = 1000
MAX_STARRED = 500
PAGE = 200
ARTISTS_PER_PAGE = 20
YEAR_MASK = FieldMask(["release_date", "created_at"])
LIST_TYPES = (
    "random", "newest", "highest", "frequent", "recent", "alphabeticalByName",
    "alphabeticalByArtist", "starred", "byYear", "byGenre",
)  # fmt: skip
FROM_YEAR = integer("fromYear", 1, 9998, "The first year (byYear: required)")
TO_YEAR = integer(
    "toYear", 1, 9998, "The last year (byYear: required; before fromYear: newest first)"
)
LIST_PARAMS = (
    choice("type", LIST_TYPES, "The list (highest: error 0, Soundstack has no ratings)"),
    size(),
    offset(),
    FROM_YEAR,
    TO_YEAR,
    text("genre", "The genre (byGenre: required)"),
)


async def _first(
    fetch: Callable[[str | None], Awaitable[Page[T]]], limit: int = MAX_WINDOW_TRACKS
) -> list[T]:
    """The first `limit` items of a listing."""
    found: list[T] = []
    cursor: str | None = None
    while len(found) < limit:
        page = await fetch(cursor)
        found.extend(page.items)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    return found[:limit]


async def _releases_of(
    player: Player, tracks: Sequence[Track], offset: int, size: int
) -> list[Album]:
    """The releases of `tracks`, each once, in order; items offset..offset+size of them."""
    playlists = player.services.playlists
    refs = await playlists.album_refs_of_tracks(player.viewer, tracks)
    ordered = list(dict.fromkeys(refs[t.id] for t in tracks))
    return await playlists.album_summaries(player.viewer, ordered[offset : offset + size])


async def _releases_by_year(
    player: Player, tracks: Sequence[Track], descending: bool, offset: int, size: int
) -> list[Album]:
    """The releases of `tracks` ordered by year — each by the earliest (descending: latest)
    year of its tracks among `tracks`, the years the list was filtered by — and, within a
    year, where its first track falls; items offset..offset+size of them."""
    refs = await player.services.playlists.album_refs_of_tracks(player.viewer, tracks)
    years: dict[AlbumRef, int] = {}
    for track in tracks:
        year, ref = mappers.track_year(track) or 0, refs[track.id]
        known = years.get(ref)
        years[ref] = year if known is None else (max if descending else min)(known, year)
    ordered = sorted(years, key=lambda ref: -years[ref] if descending else years[ref])
    return await player.services.playlists.album_summaries(
        player.viewer, ordered[offset : offset + size]
    )


def _years(player: Player) -> tuple[int | None, int | None]:
    """`fromYear` and `toYear`, checked whatever the list (only byYear reads them)."""
    call = player.call
    return call.optional_integer("fromYear", 1, 9998), call.optional_integer("toYear", 1, 9998)


async def album_list(player: Player) -> list[Album]:
    call = player.call
    kind = call.required("type")
    size, offset = call.size("size", 10), call.offset()
    first, last = _years(player)
    services, viewer = player.services, player.viewer
    playlists, tracks = services.playlists, services.tracks
    key = (viewer.user_id, f"albums:{kind}")
    if kind == "alphabeticalByName":
        return await window(player.pages, key, by_name(player), offset, size)
    if kind == "alphabeticalByArtist":
        return await window(player.pages, key, _by_artist(player), offset, size)
    if kind == "starred":
        return await window(
            player.pages, key, lambda c, n: playlists.liked_albums(viewer, c, n), offset, size
        )
    if kind == "byYear":
        if first is None:
            raise errors.missing("fromYear")
        if last is None:
            raise errors.missing("toYear")
        low, high = min(first, last), max(first, last)
        query = TrackQuery(access=EVERY_ACCESS, year_from=low, year_to=high)
        found = await _first(lambda c: tracks.search(viewer, query, YEAR_MASK, c, PAGE))
        return await _releases_by_year(player, found, first > last, offset, size)
    if kind in ("newest", "byGenre"):
        query = TrackQuery(access=EVERY_ACCESS)
        if kind == "byGenre":
            query = TrackQuery(access=EVERY_ACCESS, genres=(call.required("genre"),))
        found = await _first(lambda c: tracks.search(viewer, query, ID_MASK, c, PAGE))
        return await _releases_of(player, found, offset, size)
    if kind == "recent":
        found = await _first(lambda c: tracks.recently_played(viewer, ID_MASK, c, PAGE))
        return await _releases_of(player, found, offset, size)
    if kind == "frequent":
        found = await tracks.most_played_by(viewer, ID_MASK, 500)
        return await _releases_of(player, found, offset, size)
    if kind == "random":
        found = await tracks.random(viewer, ID_MASK, 500)
        return await _releases_of(player, found, 0, size)
    if kind == "highest":
        raise SubsonicError(errors.GENERIC, "type 'highest' needs ratings; Soundstack has none")
    raise invalid("type", f"is not a known album list type: {kind[:40]!r}")


def by_name(player: Player) -> Callable[[str | None, int], Awaitable[Page[Album]]]:
    """Albums by title, then each artist's singles by artist name (cursor 'a…' / 's…')."""
    services, viewer = player.services, player.viewer

    async def fetch(cursor: str | None, limit: int) -> Page[Album]:
        phase, inner = (cursor[0], cursor[1:] or None) if cursor else ("a", None)
        if phase == "a":
            page = await services.playlists.albums_by_title(viewer, inner, limit)
            return Page(items=page.items, next_cursor=_phase("a", page.next_cursor) or "s")
        artists = await services.tracks.artist_ids(viewer, inner, limit)
        refs = [AlbumRef(u, singles=True) for u in artists.items]
        items = await services.playlists.album_summaries(viewer, refs)
        return Page(items=items, next_cursor=_phase("s", artists.next_cursor))

    return fetch


def _phase(phase: str, cursor: str | None) -> str | None:
    return phase + cursor if cursor else None


def _by_artist(player: Player) -> Callable[[str | None, int], Awaitable[Page[Album]]]:
    """Artists by name, each with their releases."""
    services, viewer = player.services, player.viewer

    async def fetch(cursor: str | None, _limit: int) -> Page[Album]:
        artists = await services.tracks.artist_ids(viewer, cursor, ARTISTS_PER_PAGE)
        items = [
            album
            for user_id in artists.items
            for album in await services.playlists.albums_of_artist(viewer, user_id)
        ]
        return Page(items=items, next_cursor=artists.next_cursor)

    return fetch


@endpoint(
    "getAlbumList",
    "Releases by list type, as folders",
    doc=Doc(LIST_PARAMS, ("albumList", rep.AlbumList)),
)
async def get_album_list(player: NamedDependency[Player]) -> Response[bytes]:
    folders = await player.embed.album_folders(await album_list(player))
    return player.ok(albumList=rep.AlbumList(album=folders))


@endpoint(
    "getAlbumList2", "Releases by list type", doc=Doc(LIST_PARAMS, ("albumList2", rep.AlbumList2))
)
async def get_album_list2(player: NamedDependency[Player]) -> Response[bytes]:
    albums = await player.embed.albums(await album_list(player))
    return player.ok(albumList2=rep.AlbumList2(album=albums))


@endpoint(
    "getRandomSongs",
    "Random songs, optionally of a genre and years",
    doc=Doc(
        (size(), text("genre", "Only of this genre"), FROM_YEAR, TO_YEAR),
        ("randomSongs", rep.Songs),
    ),
)
async def get_random_songs(player: NamedDependency[Player]) -> Response[bytes]:
    call = player.call
    size = call.size("size", 10)
    genre = call.one("genre")
    query = TrackQuery(
        genres=(genre,) if genre else None,
        year_from=call.optional_integer("fromYear", 1, 9998),
        year_to=call.optional_integer("toYear", 1, 9998),
    )
    tracks = await player.services.tracks.random(player.viewer, SONG_MASK, size, query)
    return player.ok(randomSongs=rep.Songs(song=await player.embed.songs(tracks)))


@endpoint(
    "getSongsByGenre",
    "Songs of a genre, newest first",
    doc=Doc(
        (text("genre", "The genre", required=True), size("count"), offset()),
        ("songsByGenre", rep.Songs),
    ),
)
async def get_songs_by_genre(player: NamedDependency[Player]) -> Response[bytes]:
    call = player.call
    genre = call.required("genre")
    count, offset = call.size("count", 10), call.offset()
    query = TrackQuery(genres=(genre,), access=EVERY_ACCESS)
    services, viewer = player.services, player.viewer

    def fetch(cursor: str | None, limit: int) -> Awaitable[Page[Track]]:
        return services.tracks.search(viewer, query, SONG_MASK, cursor, limit)

    key = (viewer.user_id, "songs:genre", genre.lower())
    tracks = await window(player.pages, key, fetch, offset, count)
    return player.ok(songsByGenre=rep.Songs(song=await player.embed.songs(tracks)))


async def _starred(player: Player) -> tuple[list[int], list[Album], list[Track]]:
    """Followed artists, liked albums and liked songs (at most MAX_STARRED each)."""
    services, viewer = player.services, player.viewer
    user_id = viewer.user_id
    assert user_id is not None
    followed = await _first(
        lambda c: services.users.followings(viewer, user_id, ID_MASK, c, PAGE), MAX_STARRED
    )
    artists = await services.tracks.artists_among(viewer, [u.id for u in followed])
    albums = await _first(lambda c: services.playlists.liked_albums(viewer, c, PAGE), MAX_STARRED)
    songs = await _first(
        lambda c: services.tracks.liked_by(viewer, user_id, SONG_MASK, c, PAGE), MAX_STARRED
    )
    return artists, albums, songs


@endpoint(
    "getStarred",
    "What you starred: artists, albums (as folders) and songs",
    doc=Doc(answer=("starred", rep.Starred)),
)
async def get_starred(player: NamedDependency[Player]) -> Response[bytes]:
    artists, albums, songs = await _starred(player)
    embed = player.embed
    starred = rep.Starred(
        artist=await embed.index_artists(artists),
        album=await embed.album_folders(albums),
        song=await embed.songs(songs),
    )
    return player.ok(starred=starred)


@endpoint(
    "getStarred2",
    "What you starred: artists, albums and songs",
    doc=Doc(answer=("starred2", rep.Starred2)),
)
async def get_starred2(player: NamedDependency[Player]) -> Response[bytes]:
    artists, albums, songs = await _starred(player)
    embed = player.embed
    starred = rep.Starred2(
        artist=await embed.artists(artists),
        album=await embed.albums(albums),
        song=await embed.songs(songs),
    )
    return player.ok(starred2=starred)


ROUTES = [
    get_album_list,
    get_album_list2,
    get_random_songs,
    get_songs_by_genre,
    get_starred,
    get_starred2,
]
