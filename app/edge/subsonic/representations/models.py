"""The Subsonic/OpenSubsonic response shapes (field names as clients read them; unset fields
are left out). Lists are named in the singular, as the protocol names them (`song`, `album`)."""

from __future__ import annotations

import msgspec


class _Shape(msgspec.Struct, rename="camel", omit_defaults=True, kw_only=True):
    """Base: camelCase names, fields at their default omitted (required ones have none)."""


class MusicFolder(_Shape):
    id: int
    name: str


class MusicFolders(_Shape):
    music_folder: list[MusicFolder] = []


class ArtistID3(_Shape):
    id: str
    name: str
    cover_art: str | None = None
    album_count: int | None = None
    starred: str | None = None
    sort_name: str | None = None


class Artist(_Shape):
    """An artist in a folder index (getIndexes, search2, getStarred)."""

    id: str
    name: str
    starred: str | None = None


class Index(_Shape):
    name: str
    artist: list[Artist] = []


class Indexes(_Shape):
    ignored_articles: str
    last_modified: int
    index: list[Index] = []


class IndexID3(_Shape):
    name: str
    artist: list[ArtistID3] = []


class ArtistsID3(_Shape):
    ignored_articles: str
    index: list[IndexID3] = []


class Child(_Shape):
    """A song, or (is_dir) an album as a folder."""

    id: str
    is_dir: bool
    title: str
    parent: str | None = None
    album: str | None = None
    artist: str | None = None
    track: int | None = None
    year: int | None = None
    genre: str | None = None
    cover_art: str | None = None
    size: int | None = None
    content_type: str | None = None
    suffix: str | None = None
    transcoded_content_type: str | None = None
    transcoded_suffix: str | None = None
    duration: int | None = None
    bit_rate: int | None = None
    play_count: int | None = None
    created: str | None = None
    starred: str | None = None
    album_id: str | None = None
    artist_id: str | None = None
    type: str | None = None
    media_type: str | None = None
    is_video: bool | None = None
    bpm: int | None = None
    comment: str | None = None
    isrc: list[str] | None = None
    display_artist: str | None = None
    media_state: str | None = None
    """Soundstack's extension on songs (`mediaState`; players ignore attributes they do not
    know): `ready` when the song plays, else `none` (no audio yet), `processing` or `failed`.
    Songs stay listed whatever their state, so albums, playlists and play queues hold the same
    entries on every call; `stream` of a song that is not ready is error 70."""
    name: str | None = None
    """Albums as folders also carry their AlbumID3 fields (name, songCount), as clients
    reading either shape expect."""
    song_count: int | None = None


class AlbumID3(_Shape):
    id: str
    name: str
    song_count: int
    duration: int
    created: str
    artist: str | None = None
    artist_id: str | None = None
    cover_art: str | None = None
    starred: str | None = None
    year: int | None = None
    genre: str | None = None
    display_artist: str | None = None
    release_types: list[str] | None = None
    sort_name: str | None = None


class AlbumWithSongs(AlbumID3):
    song: list[Child] = []


class ArtistWithAlbums(ArtistID3):
    album: list[AlbumID3] = []


class Directory(_Shape):
    id: str
    name: str
    parent: str | None = None
    starred: str | None = None
    child: list[Child] = []


class Genre(_Shape):
    value: str
    song_count: int
    album_count: int


class Genres(_Shape):
    genre: list[Genre] = []


class AlbumList(_Shape):
    album: list[Child] = []


class AlbumList2(_Shape):
    album: list[AlbumID3] = []


class Songs(_Shape):
    """randomSongs, songsByGenre, topSongs, similarSongs2."""

    song: list[Child] = []


class Starred(_Shape):
    artist: list[Artist] = []
    album: list[Child] = []
    song: list[Child] = []


class Starred2(_Shape):
    artist: list[ArtistID3] = []
    album: list[AlbumID3] = []
    song: list[Child] = []


class SearchResult2(_Shape):
    artist: list[Artist] = []
    album: list[Child] = []
    song: list[Child] = []


class SearchResult3(_Shape):
    artist: list[ArtistID3] = []
    album: list[AlbumID3] = []
    song: list[Child] = []


class Playlist(_Shape):
    id: str
    name: str
    song_count: int
    duration: int
    created: str
    changed: str
    owner: str | None = None
    public: bool | None = None
    comment: str | None = None
    cover_art: str | None = None
    readonly: bool | None = None


class PlaylistWithSongs(Playlist):
    entry: list[Child] = []


class Playlists(_Shape):
    playlist: list[Playlist] = []


class PlayQueue(_Shape):
    username: str
    changed: str
    changed_by: str
    current: str | None = None
    position: int | None = None
    entry: list[Child] = []


class ArtistInfo2(_Shape):
    biography: str | None = None
    small_image_url: str | None = None
    medium_image_url: str | None = None
    large_image_url: str | None = None
    similar_artist: list[ArtistID3] = []


class AlbumInfo(_Shape):
    notes: str | None = None
    small_image_url: str | None = None
    medium_image_url: str | None = None
    large_image_url: str | None = None


class Lyrics(_Shape):
    value: str
    artist: str | None = None
    title: str | None = None


class User(_Shape):
    username: str
    scrobbling_enabled: bool
    admin_role: bool
    settings_role: bool
    download_role: bool
    upload_role: bool
    playlist_role: bool
    cover_art_role: bool
    comment_role: bool
    podcast_role: bool
    stream_role: bool
    jukebox_role: bool
    share_role: bool
    video_conversion_role: bool
    folder: list[int] = []


class License(_Shape):
    valid: bool


class Extension(_Shape):
    name: str
    versions: list[int]


class TokenInfo(_Shape):
    username: str
