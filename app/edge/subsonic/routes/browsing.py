"""Browsing: the artist index, artists, releases, songs, folders, genres, artist and album
information, top and similar songs."""

from __future__ import annotations

from litestar import Response
from litestar.di import NamedDependency

from app.edge.subsonic import mappers
from app.edge.subsonic import representations as rep
from app.edge.subsonic.dependencies import Player
from app.edge.subsonic.document import Doc, ids, integer, size, text
from app.edge.subsonic.embedding import NAME_MASK, SONG_MASK
from app.edge.subsonic.errors import not_found
from app.edge.subsonic.params import Ref, id_of
from app.edge.subsonic.routes import endpoint
from app.value_added.common.errors import NotFound
from app.value_added.common.fieldmask import FieldMask
from app.value_added.media import artwork_url
from app.value_added.playlists import Album, AlbumRef
from app.value_added.users import User

MAX_INDEX_ARTISTS = 10_000
"""getIndexes/getArtists list at most this many artists (the protocol has no paging there);
every artist stays reachable through search3."""
IMAGE_SIZES = ("small", "t300x300", "t500x500")
ID_MASK = FieldMask(["id"])
ARTIST = ids("id", ("artist",), "The artist", required=True)
RELEASE = ids("id", ("album", "singles"), "The release", required=True)
SONG = ids("id", ("track",), "The song", required=True)


async def _artist_ids(player: Player) -> list[int]:
    ids: list[int] = []
    cursor: str | None = None
    while len(ids) < MAX_INDEX_ARTISTS:
        page = await player.services.tracks.artist_ids(player.viewer, cursor, 200)
        ids.extend(page.items)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    return ids[:MAX_INDEX_ARTISTS]


@endpoint(
    "getIndexes",
    "Every artist, filed under A-Z and #, as folders",
    doc=Doc(answer=("indexes", rep.Indexes)),
)
async def get_indexes(player: NamedDependency[Player]) -> Response[bytes]:
    artists = await player.embed.index_artists(await _artist_ids(player))
    grouped: dict[str, list[rep.Artist]] = {}
    for artist in artists:
        grouped.setdefault(mappers.index_name(artist.name), []).append(artist)
    indexes = rep.Indexes(
        ignored_articles="",
        last_modified=int(player.services.deps.clock().timestamp() * 1000),
        index=[rep.Index(name=n, artist=a) for n, a in sorted(grouped.items())],
    )
    return player.ok(indexes=indexes)


@endpoint(
    "getArtists",
    "Every artist (users with tracks you may see), filed under A-Z and #",
    doc=Doc(answer=("artists", rep.ArtistsID3)),
)
async def get_artists(player: NamedDependency[Player]) -> Response[bytes]:
    artists = await player.embed.artists(await _artist_ids(player))
    grouped: dict[str, list[rep.ArtistID3]] = {}
    for artist in artists:
        grouped.setdefault(mappers.index_name(artist.name), []).append(artist)
    index = [rep.IndexID3(name=n, artist=a) for n, a in sorted(grouped.items())]
    return player.ok(artists=rep.ArtistsID3(ignored_articles="", index=index))


async def artist_releases(player: Player, user_id: int) -> list[Album]:
    """The artist's releases the viewer may see; error 70 when none (not an artist for them)."""
    albums = await player.services.playlists.albums_of_artist(player.viewer, user_id)
    if not albums:
        raise not_found()
    return albums


@endpoint(
    "getArtist",
    "An artist and their releases (albums, then their singles)",
    doc=Doc((ARTIST,), ("artist", rep.ArtistWithAlbums)),
)
async def get_artist(player: NamedDependency[Player]) -> Response[bytes]:
    ref = player.call.ref("id", "artist")
    releases = await artist_releases(player, ref.id)
    found = await player.embed.artists([ref.id], {ref.id: len(releases)})
    if not found:
        raise not_found()
    base = found[0]
    artist = rep.ArtistWithAlbums(
        **{f: getattr(base, f) for f in base.__struct_fields__},
        album=await player.embed.albums(releases),
    )
    return player.ok(artist=artist)


def album_ref(ref: Ref) -> AlbumRef:
    return AlbumRef(ref.id, singles=ref.kind == "singles")


async def release(player: Player, ref: Ref, mask: FieldMask = SONG_MASK) -> Album:
    return await player.services.playlists.album(player.viewer, album_ref(ref), mask)


@endpoint(
    "getAlbum", "A release with its songs", doc=Doc((RELEASE,), ("album", rep.AlbumWithSongs))
)
async def get_album(player: NamedDependency[Player]) -> Response[bytes]:
    album = await release(player, player.call.ref("id", "album", "singles"))
    base = (await player.embed.albums([album]))[0]
    songs = await player.embed.album_songs(album)
    fields = {f: getattr(base, f) for f in base.__struct_fields__}
    return player.ok(album=rep.AlbumWithSongs(**fields, song=songs))


@endpoint("getSong", "One song", doc=Doc((SONG,), ("song", rep.Child)))
async def get_song(player: NamedDependency[Player]) -> Response[bytes]:
    ref = player.call.ref("id", "track")
    track = await player.services.tracks.get(player.viewer, ref.id, SONG_MASK)
    return player.ok(song=(await player.embed.songs([track]))[0])


@endpoint(
    "getMusicDirectory",
    "A folder: an artist's releases, or a release's songs",
    doc=Doc(
        (ids("id", ("artist", "album", "singles"), "An artist or a release", required=True),),
        ("directory", rep.Directory),
    ),
)
async def get_music_directory(player: NamedDependency[Player]) -> Response[bytes]:
    ref = player.call.ref("id", "artist", "album", "singles")
    if ref.kind == "artist":
        releases = await artist_releases(player, ref.id)
        users = await player.embed.users([ref.id])
        name = mappers.artist_name(users.get(ref.id))
        children = await player.embed.album_folders(releases)
        starred = await player.services.users.followed_at(player.viewer, [ref.id])
        directory = rep.Directory(
            id=id_of("artist", ref.id),
            name=name,
            starred=mappers.iso(starred.get(ref.id)),
            child=children,
        )
        return player.ok(directory=directory)
    album = await release(player, ref)
    directory = rep.Directory(
        id=mappers.album_id(album.ref),
        name=album.title,
        parent=id_of("artist", album.user_id),
        child=await player.embed.album_songs(album),
    )
    return player.ok(directory=directory)


@endpoint(
    "getGenres",
    "The genres of the songs you may see, with song and album counts",
    doc=Doc(answer=("genres", rep.Genres)),
)
async def get_genres(player: NamedDependency[Player]) -> Response[bytes]:
    services = player.services
    counts = await services.tracks.genres(player.viewer)
    albums = await services.playlists.album_genre_counts(player.viewer)
    genres = [
        rep.Genre(value=g.name, song_count=g.tracks, album_count=albums.get(g.name, 0))
        for g in counts
    ]
    return player.ok(genres=rep.Genres(genre=genres))


def _images(player: Player, key: str | None) -> dict[str, str | None]:
    urls = [player.absolute(u) if (u := artwork_url(key, s)) else None for s in IMAGE_SIZES]
    return {"small_image_url": urls[0], "medium_image_url": urls[1], "large_image_url": urls[2]}


@endpoint(
    "getArtistInfo2",
    "An artist's biography, images and the artists they follow",
    doc=Doc(
        (ARTIST, integer("count", 0, 100, "How many similar artists", default=20)),
        ("artistInfo2", rep.ArtistInfo2),
    ),
)
async def get_artist_info2(player: NamedDependency[Player]) -> Response[bytes]:
    ref = player.call.ref("id", "artist")
    count = player.call.integer("count", 20, 0, 100)
    services, viewer = player.services, player.viewer
    if not await services.tracks.artists_among(viewer, [ref.id]):
        raise not_found()
    user = await services.users.get(viewer, ref.id, NAME_MASK)
    followed = await services.users.followings(viewer, ref.id, ID_MASK, None, 200)
    similar = await services.tracks.artists_among(viewer, [u.id for u in followed.items])
    info = rep.ArtistInfo2(
        biography=_text(user),
        **_images(player, user.avatar_key if isinstance(user.avatar_key, str) else None),
        similar_artist=await player.embed.artists(similar[:count]),
    )
    return player.ok(artistInfo2=info)


def _text(user: User) -> str | None:
    return user.description if isinstance(user.description, str) and user.description else None


@endpoint(
    "getAlbumInfo2",
    "A release's notes and images",
    doc=Doc((RELEASE,), ("albumInfo", rep.AlbumInfo)),
)
async def get_album_info2(player: NamedDependency[Player]) -> Response[bytes]:
    ref = player.call.ref("id", "album", "singles")
    found = await player.services.playlists.album_summaries(player.viewer, [album_ref(ref)])
    if not found:
        raise not_found()
    album = found[0]
    key = album.artwork_key
    if album.ref.singles:
        owner = (await player.embed.users([album.user_id])).get(album.user_id)
        key = owner.avatar_key if owner and isinstance(owner.avatar_key, str) else None
    info = rep.AlbumInfo(notes=album.description or None, **_images(player, key))
    return player.ok(albumInfo=info)


@endpoint(
    "getTopSongs",
    "An artist's (by name) most played songs",
    doc=Doc(
        (
            text("artist", "The artist's username (unknown: no songs)", required=True),
            size("count", 50),
        ),
        ("topSongs", rep.Songs),
    ),
)
async def get_top_songs(player: NamedDependency[Player]) -> Response[bytes]:
    name = player.call.required("artist").strip()
    count = player.call.size("count", 50)
    services = player.services
    try:
        user = await services.users.resolve(player.viewer, name.lower(), ID_MASK)
    except NotFound:
        return player.ok(topSongs=rep.Songs())
    tracks = await services.tracks.most_played_of(player.viewer, user.id, SONG_MASK, count)
    return player.ok(topSongs=rep.Songs(song=await player.embed.songs(tracks)))


async def _seed(player: Player, ref: Ref) -> int | None:
    """The track similar songs are found from: the song, a release's first, an artist's top."""
    services, viewer = player.services, player.viewer
    if ref.kind == "track":
        return ref.id
    if ref.kind == "artist":
        top = await services.tracks.most_played_of(viewer, ref.id, ID_MASK, 1)
        return top[0].id if top else None
    album = await release(player, ref, ID_MASK)
    tracks = album.tracks if isinstance(album.tracks, list) else []
    return tracks[0].id if tracks else None


@endpoint(
    "getSimilarSongs2",
    "Songs like a song, release or artist (same genre or artist)",
    doc=Doc(
        (
            ids("id", ("track", "album", "singles", "artist"), "What to start from", required=True),
            size("count", 50),
        ),
        ("similarSongs2", rep.Songs),
    ),
)
async def get_similar_songs2(player: NamedDependency[Player]) -> Response[bytes]:
    ref = player.call.ref("id", "track", "album", "singles", "artist")
    count = player.call.size("count", 50)
    seed = await _seed(player, ref)
    if seed is None:
        raise not_found()
    services = player.services
    page = await services.tracks.related(player.viewer, seed, SONG_MASK, None, min(count, 200))
    tracks = [t for t in page.items if t.id != seed][:count]
    return player.ok(similarSongs2=rep.Songs(song=await player.embed.songs(tracks)))


ROUTES = [
    get_indexes,
    get_artists,
    get_artist,
    get_album,
    get_song,
    get_music_directory,
    get_genres,
    get_artist_info2,
    get_album_info2,
    get_top_songs,
    get_similar_songs2,
]
