"""Batch loading, through the VAS, of what Subsonic shapes embed: artist names, the release of
each song, album titles and the caller's stars (likes, follows)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from app.edge.subsonic import mappers
from app.edge.subsonic import representations as rep
from app.value_added.access import Viewer
from app.value_added.common.fieldmask import FieldMask
from app.value_added.playlists import SINGLES_TITLE, Album, AlbumRef
from app.value_added.registry import Services
from app.value_added.tracks import Track
from app.value_added.users import User

SONG_MASK = FieldMask(
    [
        "title",
        "genre",
        "duration_ms",
        "release_date",
        "created_at",
        "artwork_key",
        "bpm",
        "isrc",
        "media",
        "stats",
    ]
)
"""The track fields a song needs."""
NAME_MASK = FieldMask(["username", "avatar_key", "description"])
TITLE_MASK = FieldMask(["title"])


class Embedder:
    """Builds Subsonic shapes for one viewer, each kind of embedded data in one batch."""

    def __init__(self, services: Services, viewer: Viewer) -> None:
        self.services = services
        self.viewer = viewer

    async def users(self, ids: Sequence[int]) -> dict[int, User]:
        found = await self.services.users.get_many(self.viewer, list(dict.fromkeys(ids)), NAME_MASK)
        return {u.id: u for u in found}

    async def songs(
        self,
        tracks: Sequence[Track],
        refs: Mapping[int, AlbumRef] | None = None,
        positions: bool = False,
    ) -> list[rep.Child]:
        """`tracks` as songs; `positions` numbers them 1.. (an album's track list)."""
        if not tracks:
            return []
        services, viewer = self.services, self.viewer
        if refs is None:
            refs = await services.playlists.album_refs_of_tracks(viewer, tracks)
        album_ids = sorted({r.id for r in refs.values() if not r.singles})
        titled = await services.playlists.get_many(viewer, album_ids, TITLE_MASK)
        titles = {p.id: str(p.title) for p in titled}
        owners = await self.users([t.user_id for t in tracks])
        starred = await services.tracks.liked_at(viewer, [t.id for t in tracks])
        songs = []
        for n, track in enumerate(tracks, start=1):
            ref = refs[track.id]
            title = SINGLES_TITLE if ref.singles else titles.get(ref.id, "")
            songs.append(
                mappers.song(
                    track,
                    owners.get(track.user_id),
                    ref,
                    title,
                    starred.get(track.id),
                    n if positions else None,
                )
            )
        return songs

    async def album_songs(self, album: Album) -> list[rep.Child]:
        tracks = album.tracks if isinstance(album.tracks, list) else []
        return await self.songs(tracks, {t.id: album.ref for t in tracks}, positions=True)

    async def _album_context(
        self, albums: Sequence[Album]
    ) -> tuple[dict[int, User], dict[int, dt.datetime]]:
        owners = await self.users([a.user_id for a in albums])
        real = [a.ref.id for a in albums if not a.ref.singles]
        starred = await self.services.playlists.liked_at(self.viewer, real)
        return owners, starred

    async def albums(self, albums: Sequence[Album]) -> list[rep.AlbumID3]:
        owners, starred = await self._album_context(albums)
        return [
            mappers.album(
                a, owners.get(a.user_id), None if a.ref.singles else starred.get(a.ref.id)
            )
            for a in albums
        ]

    async def album_folders(self, albums: Sequence[Album]) -> list[rep.Child]:
        owners, starred = await self._album_context(albums)
        return [
            mappers.album_folder(
                a, owners.get(a.user_id), None if a.ref.singles else starred.get(a.ref.id)
            )
            for a in albums
        ]

    async def artists(
        self, user_ids: Sequence[int], album_counts: Mapping[int, int] | None = None
    ) -> list[rep.ArtistID3]:
        users = await self.users(user_ids)
        starred = await self.services.users.followed_at(self.viewer, list(users))
        counts = album_counts or {}
        return [
            mappers.artist(users[u], starred.get(u), counts.get(u))
            for u in dict.fromkeys(user_ids)
            if u in users
        ]

    async def index_artists(self, user_ids: Sequence[int]) -> list[rep.Artist]:
        users = await self.users(user_ids)
        starred = await self.services.users.followed_at(self.viewer, list(users))
        return [
            mappers.index_artist(users[u], starred.get(u))
            for u in dict.fromkeys(user_ids)
            if u in users
        ]
