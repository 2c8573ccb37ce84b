"""Playlist commands on entries and engagement: add, remove, reorder tracks; like and repost."""

from __future__ import annotations

from collections.abc import Sequence

from app.foundation.playlists.records import PlaylistRecord
from app.foundation.unit_of_work import UnitOfWork
from app.value_added import access
from app.value_added.access import Viewer
from app.value_added.common.deps import Deps
from app.value_added.common.errors import (
    InvalidArgument,
    NotFound,
    PermissionDenied,
    Unauthenticated,
)
from app.value_added.playlists.validation import MAX_TRACKS
from app.value_added.tracks import Engagement, TracksService

NOT_FOUND = "playlist not found"


class PlaylistEntries:
    """Entry and engagement commands. Each runs in one write unit of work holding the playlist
    lock, so concurrent additions and reorders serialize and never lose an entry."""

    def __init__(self, deps: Deps, tracks: TracksService) -> None:
        self._deps = deps
        self._tracks = tracks

    async def _editable(self, uow: UnitOfWork, viewer: Viewer, playlist_id: int) -> PlaylistRecord:
        record = await uow.playlists.lock(playlist_id)
        if record is None or not access.playlist_visible(viewer, record):
            raise NotFound(NOT_FOUND)
        if not access.can_edit_playlist(viewer, record):
            raise PermissionDenied("only the owner may change this playlist")
        return record

    async def _check_tracks(self, viewer: Viewer, track_ids: Sequence[int]) -> None:
        """Every track must be visible to the viewer (asked of the Tracks VAS); else NotFound."""
        if len(track_ids) > MAX_TRACKS:
            raise InvalidArgument(
                f"a playlist holds at most {MAX_TRACKS} tracks", reason="too_many", field="tracks"
            )
        visible = set(await self._tracks.visible_ids(viewer, track_ids))
        missing = [t for t in track_ids if t not in visible]
        if missing:
            raise NotFound(f"track {missing[0]} not found", field="tracks")

    async def _append(self, uow: UnitOfWork, playlist_id: int, track_ids: Sequence[int]) -> None:
        if not track_ids:
            return
        current = await uow.playlists.entries_of([playlist_id])
        if len(current) + len(track_ids) > MAX_TRACKS:
            raise InvalidArgument(
                f"a playlist holds at most {MAX_TRACKS} tracks", reason="too_many", field="tracks"
            )
        await uow.playlists.append(playlist_id, track_ids)
        durations = {t.id: t.duration_ms for t in await uow.tracks.get_many(track_ids)}
        duration = sum(durations.get(t, 0) for t in track_ids)
        await uow.counters.playlists.add(playlist_id, tracks=len(track_ids), duration_ms=duration)

    async def add_tracks(self, viewer: Viewer, playlist_id: int, track_ids: Sequence[int]) -> None:
        await self._check_tracks(viewer, track_ids)
        async with self._deps.db.write() as uow:
            await self._editable(uow, viewer, playlist_id)
            await self._append(uow, playlist_id, track_ids)
            await uow.playlists.update(playlist_id, {})

    async def set_tracks(self, viewer: Viewer, playlist_id: int, track_ids: Sequence[int]) -> None:
        """Replace the entries the viewer can see with `track_ids`, in order. Entries of tracks
        the viewer cannot see (hidden since they were added) are kept, after the new ones."""
        await self._check_tracks(viewer, track_ids)
        async with self._deps.db.write() as uow:
            await self._editable(uow, viewer, playlist_id)
            held = list(
                dict.fromkeys(e.track_id for e in await uow.playlists.entries_of([playlist_id]))
            )
            seen = await self._tracks.visible_ids(viewer, held)
            durations = {t.id: t.duration_ms for t in await uow.tracks.get_many(seen)}
            removed, duration = 0, 0
            for track_id in seen:
                count = await uow.playlists.remove_track(playlist_id, track_id)
                removed += count
                duration += durations.get(track_id, 0) * count
            await uow.counters.playlists.add(playlist_id, tracks=-removed, duration_ms=-duration)
            remaining = await uow.playlists.entries_of([playlist_id])
            await self._append(uow, playlist_id, track_ids)
            if remaining:
                await self._move_last(uow, playlist_id, [e.id for e in remaining])
            await uow.playlists.update(playlist_id, {})

    async def _move_last(self, uow: UnitOfWork, playlist_id: int, entry_ids: list[int]) -> None:
        entries = await uow.playlists.entries_of([playlist_id])
        last = set(entry_ids)
        ordered = sorted(entries, key=lambda e: (e.id in last, e.position, e.id))
        await uow.playlists.set_positions(playlist_id, {e.id: i + 1 for i, e in enumerate(ordered)})

    async def remove_track(self, viewer: Viewer, playlist_id: int, track_id: int) -> None:
        async with self._deps.db.write() as uow:
            await self._editable(uow, viewer, playlist_id)
            removed = await uow.playlists.remove_track(playlist_id, track_id)
            if not removed:
                raise NotFound(f"track {track_id} is not in this playlist", field="track_id")
            track = await uow.tracks.get(track_id)
            duration = (track.duration_ms if track else 0) * removed
            await uow.counters.playlists.add(playlist_id, tracks=-removed, duration_ms=-duration)
            await uow.playlists.update(playlist_id, {})

    async def reorder(self, viewer: Viewer, playlist_id: int, track_ids: Sequence[int]) -> None:
        """Put the named tracks first, in the given order; entries not named keep their relative
        order after them — so a reorder racing an addition never drops the added entry."""
        async with self._deps.db.write() as uow:
            await self._editable(uow, viewer, playlist_id)
            entries = await uow.playlists.entries_of([playlist_id])
            present = {e.track_id for e in entries}
            unknown = [t for t in track_ids if t not in present]
            if unknown:
                raise InvalidArgument(
                    f"track {unknown[0]} is not in this playlist",
                    reason="not_in_playlist",
                    field="tracks",
                )
            rank = {t: i for i, t in enumerate(dict.fromkeys(track_ids))}
            ordered = sorted(
                entries, key=lambda e: (rank.get(e.track_id, len(rank)), e.position, e.id)
            )
            await uow.playlists.set_positions(
                playlist_id, {e.id: i + 1 for i, e in enumerate(ordered)}
            )
            await uow.playlists.update(playlist_id, {})

    async def _toggle(self, viewer: Viewer, playlist_id: int, kind: str, on: bool) -> Engagement:
        if viewer.user_id is None:
            raise Unauthenticated("this action needs a signed-in user", reason="user_required")
        user_id = viewer.user_id
        async with self._deps.db.write() as uow:
            record = await uow.playlists.get(playlist_id)
            if record is None or not access.playlist_visible(viewer, record):
                raise NotFound(NOT_FOUND)
            social = uow.social
            edges = social.playlist_likes if kind == "likes" else social.playlist_reposts
            if await (edges.add if on else edges.remove)(user_id, playlist_id):
                delta = 1 if on else -1
                await uow.counters.playlists.add(playlist_id, **{kind: delta})
                user_kind = "playlist_likes" if kind == "likes" else "reposts"
                await uow.counters.users.add(user_id, **{user_kind: delta})
            counts = (await uow.counters.playlist_counts([playlist_id]))[0]
        return Engagement(active=on, count=getattr(counts, kind))

    async def like(self, viewer: Viewer, playlist_id: int) -> Engagement:
        return await self._toggle(viewer, playlist_id, "likes", True)

    async def unlike(self, viewer: Viewer, playlist_id: int) -> Engagement:
        return await self._toggle(viewer, playlist_id, "likes", False)

    async def repost(self, viewer: Viewer, playlist_id: int) -> Engagement:
        return await self._toggle(viewer, playlist_id, "reposts", True)

    async def unrepost(self, viewer: Viewer, playlist_id: int) -> Engagement:
        return await self._toggle(viewer, playlist_id, "reposts", False)
