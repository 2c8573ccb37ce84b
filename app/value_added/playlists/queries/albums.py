"""Playlists VAS queries over releases: albums and each artist's singles, as players see them.

An album is a playlist of set type `album` the viewer may see, holding the tracks of it the
viewer may see. An artist's *singles* are their tracks the viewer may see that no album of
theirs (visible to the viewer) holds, newest first, at most MAX_SINGLES: so every track is on
exactly one release of its owner. A track on several albums of its owner belongs to the oldest.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from app.foundation.playlists.records import PlaylistRecord
from app.foundation.query import Key, Page
from app.foundation.social.records import EdgeRecord
from app.foundation.unit_of_work import UnitOfWork
from app.value_added import access
from app.value_added.access import Viewer
from app.value_added.common.cursor import Page as VasPage
from app.value_added.common.deps import Deps
from app.value_added.common.fieldmask import FieldMask
from app.value_added.common.paging import listing
from app.value_added.playlists.aggregates import SINGLES_TITLE, Album, AlbumRef
from app.value_added.playlists.loading import visible
from app.value_added.tracks import Track, TracksService

ALBUM = "album"
MAX_SINGLES = 500
MAX_ARTIST_ALBUMS = 200
_DURATIONS = FieldMask(["duration_ms"])


def _with_durations(mask: FieldMask) -> FieldMask:
    return mask if mask.is_everything else FieldMask([*mask.paths, "duration_ms"])


def _duration(tracks: Sequence[Track]) -> int:
    return sum(t.duration_ms for t in tracks if isinstance(t.duration_ms, int))


class AlbumQueries:
    """Read side of releases (albums and singles) for every viewer, through the access policy."""

    def __init__(self, deps: Deps, tracks: TracksService) -> None:
        self._deps = deps
        self._tracks = tracks

    async def album(self, viewer: Viewer, ref: AlbumRef, mask: FieldMask) -> Album:
        """One release with its tracks (fields per `mask`); NotFound when the viewer may not
        see it — or, for singles, when the artist has none the viewer may see."""
        if ref.singles:
            return await self._singles(viewer, ref.id, mask)
        async with self._deps.db.read() as uow:
            records = await self._albums(uow, viewer, [ref.id])
            if not records:
                raise access.not_found("album")
            entries = await uow.playlists.entries_of([ref.id])
        ids = [e.track_id for e in entries]
        tracks = await self._tracks.get_many(viewer, ids, _with_durations(mask))
        return _album(records[0], tracks, with_tracks=True)

    async def album_summaries(self, viewer: Viewer, refs: Sequence[AlbumRef]) -> list[Album]:
        """Releases without their tracks (counts and durations only), in the order of `refs`;
        those the viewer may not see (or empty singles) are left out."""
        wanted = list(dict.fromkeys(refs))
        album_ids = [r.id for r in wanted if not r.singles]
        artist_ids = [r.id for r in wanted if r.singles]
        now = self._deps.clock()
        async with self._deps.db.read() as uow:
            records = await self._albums(uow, viewer, album_ids)
            entries = await uow.playlists.entries_of([r.id for r in records])
            singles = await uow.catalog.singles_summaries(
                artist_ids, now, viewer.user_id, MAX_SINGLES
            )
        held: dict[int, list[int]] = {}
        for e in entries:
            held.setdefault(e.playlist_id, []).append(e.track_id)
        all_ids = [t for ids in held.values() for t in ids]
        durations = {t.id: t for t in await self._tracks.get_many(viewer, all_ids, _DURATIONS)}
        found: dict[AlbumRef, Album] = {}
        for record in records:
            tracks = [durations[t] for t in held.get(record.id, []) if t in durations]
            found[AlbumRef(record.id)] = _album(record, tracks, with_tracks=False)
        for user_id, summary in singles.items():
            found[AlbumRef(user_id, singles=True)] = Album(
                ref=AlbumRef(user_id, singles=True),
                user_id=user_id,
                title=SINGLES_TITLE,
                created_at=summary.newest_at,
                track_count=summary.tracks,
                duration_ms=summary.duration_ms,
            )
        return [found[r] for r in wanted if r in found]

    async def album_genre_counts(self, viewer: Viewer) -> dict[str, int]:
        """Genre -> how many albums (not singles) the viewer may see carry it."""
        async with self._deps.db.read() as uow:
            return await uow.catalog.album_genres(viewer.user_id)

    async def albums_of_artist(self, viewer: Viewer, user_id: int) -> list[Album]:
        """The artist's releases the viewer may see: albums newest first, then their singles."""
        async with self._deps.db.read() as uow:
            page = await uow.playlists.by_user(user_id, None, MAX_ARTIST_ALBUMS, ALBUM)
        refs = [AlbumRef(p.id) for p in visible(viewer, page.items)]
        return await self.album_summaries(viewer, [*refs, AlbumRef(user_id, singles=True)])

    async def album_refs_of_tracks(
        self, viewer: Viewer, tracks: Sequence[Track]
    ) -> dict[int, AlbumRef]:
        """The release each track is on: the oldest album of its owner holding it that the
        viewer may see, else the owner's singles."""
        ids = [t.id for t in tracks]
        async with self._deps.db.read() as uow:
            pairs = await uow.playlists.holding_tracks(ids, ALBUM)
            records = await self._albums(uow, viewer, list({p for _, p in pairs}))
        owner_of = {r.id: r.user_id for r in records}
        refs: dict[int, AlbumRef] = {}
        owners = {t.id: t.user_id for t in tracks}
        for track_id, playlist_id in pairs:  # (ordered by playlist id: oldest first)
            if track_id not in refs and owner_of.get(playlist_id) == owners[track_id]:
                refs[track_id] = AlbumRef(playlist_id)
        return {t.id: refs.get(t.id) or AlbumRef(t.user_id, singles=True) for t in tracks}

    async def albums_by_title(
        self, viewer: Viewer, cursor: str | None, limit: int | None
    ) -> VasPage[Album]:
        """Albums (not singles) by title, then id."""

        async def fetch(uow: UnitOfWork, key: Key | None, n: int) -> Page[PlaylistRecord]:
            return await uow.playlists.by_title(ALBUM, key, n)

        async def keep(_: UnitOfWork, found: list[PlaylistRecord]) -> list[AlbumRef]:
            return [AlbumRef(p.id) for p in visible(viewer, found)]

        page = await listing(self._deps, "albums:title", cursor, limit, fetch, keep, _refs)
        items = await self.album_summaries(viewer, page.items)
        return VasPage(items=items, next_cursor=page.next_cursor)

    async def liked_albums(
        self, viewer: Viewer, cursor: str | None, limit: int | None
    ) -> VasPage[Album]:
        """Albums the viewer liked, most recent like first."""
        if viewer.user_id is None:
            return VasPage(items=[])
        user_id = viewer.user_id

        async def fetch(uow: UnitOfWork, key: Key | None, n: int) -> Page[EdgeRecord]:
            return await uow.social.playlist_likes.of_user(user_id, key, n)

        async def keep(uow: UnitOfWork, edges: list[EdgeRecord]) -> list[AlbumRef]:
            found = await self._albums(uow, viewer, [e.target_id for e in edges])
            return [AlbumRef(p.id) for p in found]

        scope = f"albums:liked:{user_id}"
        page = await listing(self._deps, scope, cursor, limit, fetch, keep, _refs)
        items = await self.album_summaries(viewer, page.items)
        return VasPage(items=items, next_cursor=page.next_cursor)

    async def _singles(self, viewer: Viewer, user_id: int, mask: FieldMask) -> Album:
        now = self._deps.clock()
        async with self._deps.db.read() as uow:
            records = await uow.catalog.singles(user_id, now, viewer.user_id, MAX_SINGLES)
        tracks = await self._tracks.get_many(viewer, [r.id for r in records], _with_durations(mask))
        if not tracks:
            raise access.not_found("album")
        newest = max(r.created_at for r in records)
        return Album(
            ref=AlbumRef(user_id, singles=True),
            user_id=user_id,
            title=SINGLES_TITLE,
            created_at=newest,
            track_count=len(tracks),
            duration_ms=_duration(tracks),
            tracks=tracks,
        )

    async def _albums(
        self, uow: UnitOfWork, viewer: Viewer, ids: Sequence[int]
    ) -> list[PlaylistRecord]:
        """Of `ids`, the albums the viewer may see, in order."""
        found = visible(viewer, await uow.playlists.get_many(ids))
        return [p for p in found if p.set_type == ALBUM]


async def _refs(_uow: UnitOfWork, refs: list[AlbumRef]) -> list[AlbumRef]:
    return refs


def _album(record: PlaylistRecord, tracks: list[Track], *, with_tracks: bool) -> Album:
    album = Album(
        ref=AlbumRef(record.id),
        user_id=record.user_id,
        title=record.title,
        description=record.description,
        genre=record.genre,
        release_date=record.release_date,
        artwork_key=record.artwork_key,
        created_at=record.created_at,
        track_count=len(tracks),
        duration_ms=_duration(tracks),
    )
    return msgspec.structs.replace(album, tracks=tracks) if with_tracks else album
