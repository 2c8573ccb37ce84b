"""Track commands: create (from metadata or an upload), change and delete a track."""

from __future__ import annotations

from app.foundation.policies.records import TrackPolicyRecord
from app.foundation.tracks.records import TrackRecord
from app.foundation.unit_of_work import UnitOfWork
from app.value_added import access
from app.value_added.access import Viewer
from app.value_added.catalog.aggregates import CreatorTrack
from app.value_added.catalog.commands import audit as trail
from app.value_added.catalog.commands.counting import (
    TrackClass,
    count_for_users,
    locked_class,
    recount_track,
    track_class,
)
from app.value_added.catalog.commands.permalinks import free_permalink, permalink_base
from app.value_added.catalog.queries import editable_track
from app.value_added.catalog.requests import AuditContext, TrackChanges, TrackDraft
from app.value_added.catalog.validation import TRACK_RULES, checked, split_track_fields
from app.value_added.common.deps import Deps
from app.value_added.common.secrets import new_secret_token
from app.value_added.media import queue_track_objects


class TrackCommands:
    """Every track write, whichever BFF asks: one validation, one permalink rule, one audit."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def create(
        self,
        viewer: Viewer,
        owner_id: int,
        draft: TrackDraft,
        *,
        audit: AuditContext | None = None,
    ) -> CreatorTrack:
        """Create track, policy and counters, and count it on the owner, in one transaction."""
        return await self._create(viewer, owner_id, draft, audit, "create")

    async def create_uploaded(
        self,
        viewer: Viewer,
        owner_id: int,
        draft: TrackDraft,
        *,
        audit: AuditContext | None = None,
    ) -> CreatorTrack:
        """As `create`, for a track whose audio file was just stored (audited as an upload)."""
        return await self._create(viewer, owner_id, draft, audit, "upload")

    async def _create(
        self,
        viewer: Viewer,
        owner_id: int,
        draft: TrackDraft,
        audit: AuditContext | None,
        action: trail.Action,
    ) -> CreatorTrack:
        access.require_acting_for(viewer, owner_id)
        meta, policy = split_track_fields(checked(draft, TRACK_RULES))

        async def command(uow: UnitOfWork) -> CreatorTrack:
            if await uow.users.get(owner_id) is None:
                raise access.not_found("user")
            base = permalink_base(meta["title"])
            taken = await uow.tracks.permalinks_with_prefix(owner_id, base)
            meta["permalink"] = free_permalink(base, taken)
            track = await uow.tracks.create(owner_id, meta)
            await uow.policies.create(track.id, new_secret_token(), policy)
            await uow.counters.tracks.ensure(track.id)
            created = await uow.policies.get(track.id)
            assert created is not None
            counted = await track_class(uow, track, created, self._deps.clock())
            await count_for_users(uow, counted, "tracks", {owner_id: 1}, 1)
            result = CreatorTrack.of(track, created)
            await trail.record(
                uow,
                viewer,
                audit,
                creator_id=owner_id,
                kind="track",
                entity_id=track.id,
                action=action,
                old=None,
                new=result,
            )
            return result

        return await self._deps.db.transact(command)

    async def update(
        self,
        viewer: Viewer,
        track_id: int,
        changes: TrackChanges,
        *,
        audit: AuditContext | None = None,
    ) -> CreatorTrack:
        """Change metadata and/or policy; UNSET fields stay as they are (so does the
        permalink: links keep working when the title changes)."""
        meta, policy = split_track_fields(checked(changes, TRACK_RULES))

        async def command(uow: UnitOfWork) -> CreatorTrack:
            now = self._deps.clock()
            old_track, old_policy = await editable_track(uow, viewer, track_id, now)
            before = CreatorTrack.of(old_track, old_policy)
            old = await locked_class(uow, old_track, now, changing=True)
            track = await uow.tracks.update(track_id, meta)
            updated = await uow.policies.update(track_id, policy)
            assert track is not None and updated is not None
            await self._recount(uow, old, track, updated)
            result = CreatorTrack.of(track, updated)
            await trail.record(
                uow,
                viewer,
                audit,
                creator_id=result.user_id,
                kind="track",
                entity_id=track_id,
                action=trail.track_update_action(trail.diff(before, result)),
                old=before,
                new=result,
            )
            return result

        return await self._deps.db.transact(command)

    async def delete(
        self, viewer: Viewer, track_id: int, *, audit: AuditContext | None = None
    ) -> list[str]:
        """Delete the track and everything hanging off it (entries, likes, reposts, comments,
        counters follow); its stored media objects are queued for deletion in the same
        transaction (a media worker deletes them). Returns their storage keys."""

        async def command(uow: UnitOfWork) -> list[str]:
            track, old_policy = await editable_track(uow, viewer, track_id, self._deps.clock())
            await trail.record(
                uow,
                viewer,
                audit,
                creator_id=track.user_id,
                kind="track",
                entity_id=track_id,
                action="delete",
                old=CreatorTrack.of(track, old_policy),
                new=None,
            )
            now = self._deps.clock()
            keys = await queue_track_objects(uow, track_id, track.artwork_key, now)
            counted = await locked_class(uow, track, now, changing=True)
            await recount_track(uow, counted, None)
            held = await uow.playlists.entry_counts_of_track(track_id)
            await uow.playlists.remove_track_everywhere(track_id)
            await uow.playlists.touch_many(list(held))
            await uow.tracks.delete(track_id)
            return keys

        # (run again should it deadlock with concurrent likes: their locks come in another order)
        return await self._deps.db.transact(command)

    async def take_down(self, track_id: int, reason: str) -> CreatorTrack:
        """Take the track down (an operator's decision, e.g. a copyright claim): only its
        owner sees it from now on; counts everyone else gets leave it out at once."""
        return await self._set_taken_down(track_id, reason or "taken down")

    async def restore(self, track_id: int) -> CreatorTrack:
        """Undo a takedown."""
        return await self._set_taken_down(track_id, None)

    async def settle_releases(self) -> int:
        """Fold every scheduled release that has passed into the counts (they are right
        without this; it keeps what a read loads small). Returns how many were folded."""

        async def command(uow: UnitOfWork) -> int:
            return await uow.counters.settle(self._deps.clock())

        return await self._deps.db.transact(command)

    async def _set_taken_down(self, track_id: int, reason: str | None) -> CreatorTrack:
        async def command(uow: UnitOfWork) -> CreatorTrack:
            now = self._deps.clock()
            track = await uow.tracks.get(track_id)
            policy = await uow.policies.get(track_id) if track is not None else None
            if track is None or policy is None:
                raise access.not_found("track")
            old = await locked_class(uow, track, now, changing=True)
            changes = {"taken_down_at": now if reason else None, "takedown_reason": reason or ""}
            updated = await uow.policies.update(track_id, changes)
            assert updated is not None
            await self._recount(uow, old, track, updated)
            return CreatorTrack.of(track, updated)

        return await self._deps.db.transact(command)

    async def _recount(
        self, uow: UnitOfWork, old: TrackClass, track: TrackRecord, policy: TrackPolicyRecord
    ) -> None:
        """Count the track's relations anew when its class or duration changed."""
        new = await track_class(uow, track, policy, self._deps.clock())
        if new != old:
            await recount_track(uow, old, new)
