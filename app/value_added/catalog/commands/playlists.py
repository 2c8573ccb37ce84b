"""Playlist commands: create, change and delete playlists and albums, and add, remove, reorder
and replace their tracks."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from app.foundation.db import MissingReference
from app.foundation.playlists.records import EntryRecord, PlaylistRecord
from app.foundation.row_locks import RowLocks
from app.foundation.unit_of_work import UnitOfWork
from app.value_added import access
from app.value_added.access import Viewer
from app.value_added.catalog.aggregates import CreatorPlaylist
from app.value_added.catalog.commands import audit as trail
from app.value_added.catalog.commands.counting import (
    count_playlist_for_users,
    playlist_entries,
    recount_playlist,
)
from app.value_added.catalog.commands.permalinks import free_permalink, permalink_base
from app.value_added.catalog.queries import editable_playlist, load_visible, load_visible_ids
from app.value_added.catalog.requests import AuditContext, PlaylistChanges, PlaylistDraft
from app.value_added.catalog.validation import (
    PLAYLIST_RULES,
    check_room,
    check_track_count,
    checked,
)
from app.value_added.common.deps import Deps
from app.value_added.common.errors import Conflict, NotFound
from app.value_added.common.secrets import new_secret_token


class PlaylistCommands:
    """Every playlist write, whichever BFF asks. Each runs in one write unit of work holding the
    playlist's lock, so concurrent additions and reorders serialize and never lose an entry."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def create(
        self,
        viewer: Viewer,
        owner_id: int,
        draft: PlaylistDraft,
        *,
        audit: AuditContext | None = None,
    ) -> CreatorPlaylist:
        """Create a playlist (or album) with its counters and first tracks, counted on the owner."""
        access.require_acting_for(viewer, owner_id)
        values = checked(draft, PLAYLIST_RULES)
        track_ids: list[int] = values.pop("track_ids")

        async def command(uow: UnitOfWork) -> CreatorPlaylist:
            await self._require_visible_tracks(uow, viewer, track_ids)
            if await uow.users.get(owner_id) is None:
                raise access.not_found("user")
            base = permalink_base(values["title"])
            taken = await uow.playlists.permalinks_with_prefix(owner_id, base)
            values["permalink"] = free_permalink(base, taken)
            playlist = await uow.playlists.create(owner_id, new_secret_token(), values)
            await uow.counters.playlists.ensure(playlist.id)
            await count_playlist_for_users(uow, playlist, "playlists", {owner_id: 1}, 1)
            await self._append(uow, playlist, track_ids, [])
            result = CreatorPlaylist.of(playlist)
            await trail.record(
                uow,
                viewer,
                audit,
                creator_id=owner_id,
                kind="playlist",
                entity_id=playlist.id,
                action="create",
                old=None,
                new=result,
            )
            return result

        return await self._deps.db.transact(command)

    async def update(
        self,
        viewer: Viewer,
        playlist_id: int,
        changes: PlaylistChanges,
        *,
        audit: AuditContext | None = None,
    ) -> CreatorPlaylist:
        """Change a playlist's metadata; UNSET fields stay as they are (so does the permalink:
        links keep working when the title changes)."""
        values = checked(changes, PLAYLIST_RULES)

        async def command(uow: UnitOfWork) -> CreatorPlaylist:
            playlist = await editable_playlist(uow, viewer, playlist_id)
            before = CreatorPlaylist.of(playlist)
            if values:
                updated = await uow.playlists.update(playlist_id, values)
                assert updated is not None
                if updated.sharing != playlist.sharing:
                    await recount_playlist(uow, playlist, updated)
                playlist = updated
            result = CreatorPlaylist.of(playlist)
            await trail.record(
                uow,
                viewer,
                audit,
                creator_id=playlist.user_id,
                kind="playlist",
                entity_id=playlist_id,
                action="update",
                old=before,
                new=result,
            )
            return result

        return await self._deps.db.transact(command)

    async def delete(
        self, viewer: Viewer, playlist_id: int, *, audit: AuditContext | None = None
    ) -> None:
        """Delete the playlist; its entries, likes and reposts cascade, counters follow."""

        async def command(uow: UnitOfWork) -> None:
            playlist = await editable_playlist(uow, viewer, playlist_id)
            await trail.record(
                uow,
                viewer,
                audit,
                creator_id=playlist.user_id,
                kind="playlist",
                entity_id=playlist_id,
                action="delete",
                old=CreatorPlaylist.of(playlist),
                new=None,
            )
            await recount_playlist(uow, playlist, None)
            await uow.counters.playlists.drop_releases_of(playlist_id)
            await uow.playlists.delete(playlist_id)

        await self._deps.db.transact(command)

    async def add_tracks(self, viewer: Viewer, playlist_id: int, track_ids: Sequence[int]) -> None:
        """Append the tracks (each visible to the viewer, else NotFound naming it) in order."""
        check_track_count(len(track_ids))

        async def command(uow: UnitOfWork) -> None:
            # (the answer shows the playlist's tracks: read them with their companions)
            await self._require_visible_tracks(uow, viewer, track_ids, shown=True)
            playlist, held = await uow.playlists.lock_with_entries(playlist_id)
            if playlist is None:
                raise access.not_found("playlist")
            access.require_playlist_change(viewer, playlist)
            await self._append(uow, playlist, track_ids, held)
            await uow.playlists.touch(playlist_id)

        # small and high-volume: may share its transaction with concurrent ones (group
        # commit); the visibility checks may read cached tracks, the counts read locked policies
        rows = RowLocks(policies=tuple(track_ids), playlist_counts=(playlist_id,))
        try:
            await self._deps.db.write_grouped(command, cached_reads=True, locks=rows)
        except MissingReference:  # (a track deleted after the (cached) check: gone all the same)
            raise access.not_found("track") from None

    async def remove_track(self, viewer: Viewer, playlist_id: int, track_id: int) -> None:
        """Remove every entry of the track."""

        async def command(uow: UnitOfWork) -> None:
            playlist = await editable_playlist(uow, viewer, playlist_id)
            removed = await uow.playlists.remove_track(playlist_id, track_id)
            if not removed:
                raise NotFound(f"track {track_id} is not in this playlist", field="track_id")
            await playlist_entries(uow, playlist, {track_id: removed}, -1, self._deps.clock())
            await uow.playlists.touch(playlist_id)

        await self._deps.db.transact(command)

    async def reorder(self, viewer: Viewer, playlist_id: int, track_ids: Sequence[int]) -> None:
        """Put the named tracks first, in the given order; entries not named keep their relative
        order after them — so a reorder racing an addition never drops the added entry."""

        async def command(uow: UnitOfWork) -> None:
            await editable_playlist(uow, viewer, playlist_id)
            entries = await uow.playlists.entries_of([playlist_id])
            present = {e.track_id for e in entries}
            unknown = [t for t in track_ids if t not in present]
            if unknown:  # the request is well-formed; the playlist's entries differ
                raise Conflict(
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
            await uow.playlists.touch(playlist_id)

        await self._deps.db.transact(command)

    async def set_tracks(self, viewer: Viewer, playlist_id: int, track_ids: Sequence[int]) -> None:
        """Replace the entries the viewer can see with `track_ids`, in order (each visible to
        the viewer, else NotFound naming it). Entries of tracks the viewer cannot see (hidden
        since they were added) are kept, after the new ones: a change made through a view that
        leaves them out must not delete them."""
        check_track_count(len(track_ids))

        async def command(uow: UnitOfWork) -> None:
            await self._require_visible_tracks(uow, viewer, track_ids)
            playlist = await editable_playlist(uow, viewer, playlist_id)
            held = dict.fromkeys(e.track_id for e in await uow.playlists.entries_of([playlist_id]))
            now = self._deps.clock()
            removed: dict[int, int] = {}
            for item in await load_visible_ids(uow, viewer, list(held), now):
                removed[item.track.id] = await uow.playlists.remove_track(
                    playlist_id, item.track.id
                )
            await playlist_entries(uow, playlist, removed, -1, now)
            current = await uow.playlists.held(playlist_id)
            kept = {e.id for e in current}
            await self._append(uow, playlist, track_ids, current)
            if kept:
                entries = await uow.playlists.entries_of([playlist_id])
                ordered = sorted(entries, key=lambda e: (e.id in kept, e.position, e.id))
                await uow.playlists.set_positions(
                    playlist_id, {e.id: i + 1 for i, e in enumerate(ordered)}
                )
            await uow.playlists.touch(playlist_id)

        await self._deps.db.transact(command)

    async def _require_visible_tracks(
        self, uow: UnitOfWork, viewer: Viewer, track_ids: Sequence[int], *, shown: bool = False
    ) -> None:
        """Every track must be visible to the viewer; else NotFound naming the first one.
        `shown`: the answer shows them (`UnitOfWork.shown_tracks`)."""
        if not track_ids:
            return
        if shown:  # (and whether each owner follows the viewer: the owner's card asks)
            records = await uow.shown_tracks.get_many(track_ids, following=viewer.user_id)
        else:
            records = await uow.tracks.get_many(track_ids)
        loaded = await load_visible(uow, viewer, records, self._deps.clock())
        visible = {item.track.id for item in loaded}
        missing = [t for t in track_ids if t not in visible]
        if missing:
            raise NotFound(f"track {missing[0]} not found", field="tracks")

    async def _append(
        self,
        uow: UnitOfWork,
        playlist: PlaylistRecord,
        track_ids: Sequence[int],
        held: Sequence[EntryRecord],
    ) -> None:
        """Append after `held`, every entry the (locked) playlist has now."""
        if not track_ids:
            return
        check_room(len(held), len(track_ids))
        last = max((e.position for e in held), default=0)
        await uow.playlists.append(playlist.id, track_ids, after=last, held=held)
        await playlist_entries(uow, playlist, Counter(track_ids), 1, self._deps.clock())
