"""Aggregates to Subsonic shapes: pure functions, no I/O (names and dates come in resolved)."""

from __future__ import annotations

import datetime as dt

from app.edge.subsonic import representations as rep
from app.edge.subsonic.params import id_of
from app.value_added.media.formats import ACCEPTED_FORMATS
from app.value_added.playlists import Album, AlbumRef, Playlist
from app.value_added.tracks import PlayQueue, Track, TrackMedia
from app.value_added.users import User

STREAM_SUFFIX, STREAM_TYPE = "mp3", "audio/mpeg"
"""What `stream` delivers: the 128 kbit/s MP3 rendition every finished upload gets."""
STREAM_KBPS = 128
SUFFIXES = {
    "mp3": "mp3",
    "wav": "wav",
    "flac": "flac",
    "ogg": "ogg",
    "mov,mp4,m4a,3gp,3g2,mj2": "m4a",
    "aiff": "aiff",
    "aac": "aac",
    "matroska,webm": "webm",
}
"""Upload container (as probing names it) -> the file suffix players show."""


def iso(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def album_id(ref: AlbumRef) -> str:
    return id_of("singles" if ref.singles else "album", ref.id)


def artist_name(user: User | None) -> str:
    return str(user.username) if user is not None and isinstance(user.username, str) else ""


def track_year(track: Track) -> int | None:
    """A song's year: of its release date, else of its upload (as the catalogue filters by)."""
    release = track.release_date if isinstance(track.release_date, dt.date) else None
    created = track.created_at if isinstance(track.created_at, dt.datetime) else None
    return _year(release, created)


def _year(release_date: dt.date | None, created_at: dt.datetime | None) -> int | None:
    if release_date is not None:
        return release_date.year
    return created_at.year if created_at is not None else None


def song(
    track: Track,
    owner: User | None,
    ref: AlbumRef,
    album_title: str,
    starred: dt.datetime | None,
    position: int | None = None,
) -> rep.Child:
    """A track as a Subsonic song. `suffix`/`contentType`/`size` describe the uploaded file
    (what `download` gives), `transcoded*` what `stream` plays."""
    media = track.media if isinstance(track.media, TrackMedia) else None
    fmt = getattr(media, "format", "") or ""
    size = getattr(media, "size_bytes", 0) or None
    seconds = (track.duration_ms if isinstance(track.duration_ms, int) else 0) // 1000
    suffix = SUFFIXES.get(fmt, STREAM_SUFFIX)
    content_type = ACCEPTED_FORMATS.get(fmt, STREAM_TYPE)
    bit_rate = round(size * 8 / seconds / 1000) if size and seconds else STREAM_KBPS
    transcoded = suffix != STREAM_SUFFIX
    stats = track.stats
    bpm = track.bpm if isinstance(track.bpm, float | int) else None
    isrc = track.isrc if isinstance(track.isrc, str) and track.isrc else None
    genre = track.genre if isinstance(track.genre, str) and track.genre else None
    created = track.created_at if isinstance(track.created_at, dt.datetime) else None
    artwork = track.artwork_key if isinstance(track.artwork_key, str) else None
    name = artist_name(owner)
    return rep.Child(
        id=id_of("track", track.id),
        is_dir=False,
        title=str(track.title) if isinstance(track.title, str) else "",
        parent=album_id(ref),
        album=album_title,
        artist=name,
        track=position,
        year=track_year(track),
        genre=genre,
        cover_art=id_of("track", track.id) if artwork else album_id(ref),
        size=size,
        content_type=content_type,
        suffix=suffix,
        transcoded_content_type=STREAM_TYPE if transcoded else None,
        transcoded_suffix=STREAM_SUFFIX if transcoded else None,
        duration=seconds,
        bit_rate=bit_rate,
        play_count=getattr(stats, "plays", None),
        created=iso(created),
        starred=iso(starred),
        album_id=album_id(ref),
        artist_id=id_of("artist", track.user_id),
        type="music",
        media_type="song",
        is_video=False,
        bpm=round(bpm) if bpm else None,
        isrc=[isrc] if isrc else None,
        display_artist=name,
        media_state=media.state if media is not None else None,
    )


def album(album: Album, owner: User | None, starred: dt.datetime | None) -> rep.AlbumID3:
    name = artist_name(owner)
    return rep.AlbumID3(
        id=album_id(album.ref),
        name=album.title,
        song_count=album.track_count,
        duration=album.duration_ms // 1000,
        created=iso(album.created_at) or "",
        artist=name,
        artist_id=id_of("artist", album.user_id),
        cover_art=album_id(album.ref),
        starred=iso(starred),
        year=_year(album.release_date, album.created_at),
        genre=album.genre or None,
        display_artist=name,
        release_types=["Single"] if album.ref.singles else ["Album"],
        sort_name=album.title.lower(),
    )


def album_folder(album: Album, owner: User | None, starred: dt.datetime | None) -> rep.Child:
    """An album as a folder (getAlbumList, getMusicDirectory, search2, getStarred)."""
    name = artist_name(owner)
    return rep.Child(
        id=album_id(album.ref),
        is_dir=True,
        title=album.title,
        name=album.title,
        parent=id_of("artist", album.user_id),
        album=album.title,
        artist=name,
        year=_year(album.release_date, album.created_at),
        genre=album.genre or None,
        cover_art=album_id(album.ref),
        duration=album.duration_ms // 1000,
        song_count=album.track_count,
        created=iso(album.created_at),
        starred=iso(starred),
        album_id=album_id(album.ref),
        artist_id=id_of("artist", album.user_id),
        media_type="album",
    )


def artist(
    user: User, starred: dt.datetime | None, album_count: int | None = None
) -> rep.ArtistID3:
    name = artist_name(user)
    avatar = user.avatar_key if isinstance(user.avatar_key, str) else None
    return rep.ArtistID3(
        id=id_of("artist", user.id),
        name=name,
        cover_art=id_of("artist", user.id) if avatar else None,
        album_count=album_count,
        starred=iso(starred),
        sort_name=name.lower(),
    )


def index_artist(user: User, starred: dt.datetime | None) -> rep.Artist:
    return rep.Artist(id=id_of("artist", user.id), name=artist_name(user), starred=iso(starred))


def index_name(name: str) -> str:
    """The index letter an artist is filed under: A-Z, else '#'."""
    first = name[:1].upper()
    return first if "A" <= first <= "Z" else "#"


def playlist(
    found: Playlist,
    owner: User | None,
    tracks: list[Track],
    songs: list[rep.Child],
    editable: bool,
) -> rep.PlaylistWithSongs:
    """A playlist; `tracks` are the entries the viewer may see (counts are of those only),
    `songs` them as songs when the entries are wanted."""
    sharing = getattr(found.policy, "sharing", "private")
    created = found.created_at if isinstance(found.created_at, dt.datetime) else None
    changed = found.updated_at if isinstance(found.updated_at, dt.datetime) else None
    duration_ms = sum(t.duration_ms for t in tracks if isinstance(t.duration_ms, int))
    return rep.PlaylistWithSongs(
        id=id_of("playlist", found.id),
        name=str(found.title),
        song_count=len(tracks),
        duration=duration_ms // 1000,
        created=iso(created) or "",
        changed=iso(changed) or "",
        owner=artist_name(owner),
        public=sharing == "public",
        comment=str(found.description) if found.description else None,
        cover_art=id_of("playlist", found.id) if found.artwork_key else None,
        readonly=not editable,
        entry=songs,
    )


NEVER = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
"""When an unsaved play queue changed (players see an empty queue)."""


def play_queue(queue: PlayQueue | None, username: str, songs: list[rep.Child]) -> rep.PlayQueue:
    """The saved queue, or an empty one (the response has a playQueue either way)."""
    if queue is None:
        return rep.PlayQueue(username=username, changed=iso(NEVER) or "", changed_by="")
    current = id_of("track", queue.current) if queue.current is not None else None
    return rep.PlayQueue(
        username=username,
        changed=iso(queue.changed_at) or "",
        changed_by=queue.changed_by,
        current=current,
        position=queue.position_ms if current is not None else None,
        entry=songs,
    )
