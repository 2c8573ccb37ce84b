"""Creator track commands: create, edit, re-key, delete, and the owner's full catalog listing."""

from __future__ import annotations

from collections import Counter

from app.value_added.access import Viewer
from app.value_added.common.cursor import Page, clamp_limit
from app.value_added.common.deps import Deps
from app.value_added.common.text import new_secret_token
from app.value_added.creator import audit as trail
from app.value_added.creator.aggregates import CreatorTrack
from app.value_added.creator.audit import AuditContext
from app.value_added.creator.guards import (
    editable_track,
    free_permalink,
    permalink_base,
    require_actor,
    require_owner_exists,
)
from app.value_added.creator.requests import TrackChanges, TrackDraft
from app.value_added.creator.validation import TRACK_RULES, checked, split_track_fields
from app.value_added.media import queue_track_objects


def _scope(owner_id: int) -> str:
    return f"creator.my_tracks:{owner_id}"


class CreatorTrackCommands:
    """Write side (and the owner's listing) of a creator's tracks."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def create_track(
        self,
        viewer: Viewer,
        owner_id: int,
        draft: TrackDraft,
        *,
        audit: AuditContext | None = None,
    ) -> CreatorTrack:
        """Create track, policy and counters, and count it on the owner, in one transaction."""
        require_actor(viewer, owner_id)
        meta, policy = split_track_fields(checked(draft, TRACK_RULES))
        async with self._deps.db.write() as uow:
            await require_owner_exists(uow, owner_id)
            base = permalink_base(meta["title"])
            taken = await uow.tracks.permalinks_with_prefix(owner_id, base)
            meta["permalink"] = free_permalink(base, taken)
            track = await uow.tracks.create(owner_id, meta)
            await uow.policies.create(track.id, new_secret_token(), policy)
            await uow.counters.tracks.ensure(track.id)
            await uow.counters.users.add(owner_id, tracks=1)
            created = await uow.policies.get(track.id)
            assert created is not None
            result = CreatorTrack.of(track, created)
            await trail.record(
                uow,
                viewer,
                audit,
                creator_id=owner_id,
                kind=trail.TRACK,
                entity_id=track.id,
                action="create",
                old=None,
                new=result,
            )
        return result

    async def update_track(
        self,
        viewer: Viewer,
        track_id: int,
        changes: TrackChanges,
        *,
        audit: AuditContext | None = None,
    ) -> CreatorTrack:
        """Change metadata and/or policy; UNSET fields stay as they are."""
        meta, policy = split_track_fields(checked(changes, TRACK_RULES))
        async with self._deps.db.write() as uow:
            before = CreatorTrack.of(
                *await editable_track(uow, viewer, track_id, self._deps.clock())
            )
            track = await uow.tracks.update(track_id, meta)
            updated = await uow.policies.update(track_id, policy)
            assert track is not None and updated is not None
            result = CreatorTrack.of(track, updated)
            changed = trail.diff(before, result)
            await trail.record(
                uow,
                viewer,
                audit,
                creator_id=result.user_id,
                kind=trail.TRACK,
                entity_id=track_id,
                action=trail.track_update_action(changed),
                old=before,
                new=result,
            )
        return result

    async def regenerate_secret_token(self, viewer: Viewer, track_id: int) -> str:
        """Replace the secret-link token: old private links stop working."""
        token = new_secret_token()
        async with self._deps.db.write() as uow:
            await editable_track(uow, viewer, track_id, self._deps.clock())
            await uow.policies.update(track_id, {"secret_token": token})
        return token

    async def delete_track(
        self, viewer: Viewer, track_id: int, *, audit: AuditContext | None = None
    ) -> list[str]:
        """Delete the track and everything hanging off it; its stored media objects are queued
        for deletion in the same transaction (a media worker deletes them); returns their keys."""
        async with self._deps.db.write() as uow:
            track, old_policy = await editable_track(uow, viewer, track_id, self._deps.clock())
            await trail.record(
                uow,
                viewer,
                audit,
                creator_id=track.user_id,
                kind=trail.TRACK,
                entity_id=track_id,
                action="delete",
                old=CreatorTrack.of(track, old_policy),
                new=None,
            )
            now = self._deps.clock()
            keys = await queue_track_objects(uow, track_id, track.artwork_key, now)
            users: dict[int, Counter[str]] = {}
            for kind, ids in (
                ("likes", await uow.social.track_likes.all_users(track_id)),
                ("reposts", await uow.social.track_reposts.all_users(track_id)),
                ("comments", await uow.social.comment_authors(track_id)),
            ):
                for user_id in ids:
                    users.setdefault(user_id, Counter())[kind] -= 1
            users.setdefault(track.user_id, Counter())["tracks"] -= 1
            held = await uow.playlists.entry_counts_of_track(track_id)
            await uow.playlists.remove_track_everywhere(track_id)
            await uow.counters.playlists.add_many(
                {p: {"tracks": -n, "duration_ms": -n * track.duration_ms} for p, n in held.items()}
            )
            await uow.playlists.touch_many(list(held))
            await uow.counters.users.add_many(users)
            await uow.tracks.delete(track_id)
        return keys

    async def my_tracks(
        self, viewer: Viewer, owner_id: int, cursor: str | None = None, limit: int | None = None
    ) -> Page[CreatorTrack]:
        """All of the owner's tracks, newest first, private/unreleased/taken-down included."""
        require_actor(viewer, owner_id)
        size = clamp_limit(limit)
        after = self._deps.cursors.decode(_scope(owner_id), cursor)
        async with self._deps.db.read() as uow:
            page = await uow.tracks.by_user([owner_id], after, size)
            policies = {
                p.track_id: p for p in await uow.policies.get_many([t.id for t in page.items])
            }
        items = [CreatorTrack.of(t, policies[t.id]) for t in page.items if t.id in policies]
        return Page(
            items=items, next_cursor=self._deps.cursors.encode(_scope(owner_id), page.next_key)
        )
