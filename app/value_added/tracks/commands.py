"""Tracks VAS commands: like, repost, comment, play, download and save a play queue; each
re-checks visibility."""

from __future__ import annotations

import datetime as dt
import secrets

from app.foundation.counters.repository import Increment
from app.foundation.db import MissingReference
from app.foundation.row_locks import RowLocks
from app.foundation.social.repository import Edges
from app.foundation.unit_of_work import UnitOfWork
from app.value_added import access
from app.value_added.access import Viewer
from app.value_added.catalog import (
    count_for_users,
    load_visible_ids,
    locked_class,
    user_deltas,
    visible_track,
)
from app.value_added.common.deps import Deps
from app.value_added.common.errors import NotFound, PermissionDenied, Unauthenticated
from app.value_added.media.urls import DOWNLOAD_KIND, DownloadClaims, GrantedTo
from app.value_added.tracks.aggregates import Comment, DownloadGrant, Engagement
from app.value_added.tracks.queries.streams import token_digest_of
from app.value_added.tracks.requests import PlayQueueDraft
from app.value_added.tracks.validation import comment_body, comment_timestamp, play_queue

DOWNLOAD_GRANT_TTL = dt.timedelta(minutes=5)


def _user(viewer: Viewer) -> int:
    if viewer.user_id is None:
        raise Unauthenticated("this action needs a signed-in user", reason="user_required")
    return viewer.user_id


class TrackCommands:
    """Write side of the Tracks VAS; counters change in the same transaction as the action."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def _toggle(
        self, viewer: Viewer, track_id: int, kind: str, on: bool, token: str | None
    ) -> Engagement:
        """Like/repost on or off: a small, high-volume command, so it may share its transaction
        with concurrent ones (group commit); it changes nothing but through `uow`."""
        user_id = _user(viewer)

        async def command(uow: UnitOfWork) -> Engagement:
            now = self._deps.clock()
            track, _ = await visible_track(uow, viewer, track_id, now, token)
            edges: Edges = uow.social.track_likes if kind == "likes" else uow.social.track_reposts
            sign = 1 if on else -1
            # the counts' class first (the policy locked shared): the edge and every count it
            # changes are then ONE statement on PostgreSQL, counted only if the edge changed
            counted = await locked_class(uow, track, now)
            users, later = user_deltas(counted, kind, {user_id: 1}, sign)
            changed, (counts, _) = await edges.toggle(
                user_id,
                track_id,
                on,
                [
                    Increment(uow.counters.tracks, track_id, {kind: sign}),
                    Increment(uow.counters.users, user_id, users[user_id]),
                ],
            )
            if changed and counted.public_at is not None:
                await uow.counters.users.schedule(track_id, counted.public_at, later)
            if counts is None:  # (unchanged: the counts as they are)
                counts = (await uow.counters.track_counts([track_id]))[0]
            return Engagement(active=on, count=getattr(counts, kind))

        rows = RowLocks(policies=(track_id,), track_counts=(track_id,), user_counts=(user_id,))
        try:
            return await self._deps.db.write_grouped(command, cached_reads=True, locks=rows)
        except MissingReference:  # (deleted after the (cached) check: gone all the same)
            raise access.not_found("track") from None

    async def like(self, viewer: Viewer, track_id: int, token: str | None = None) -> Engagement:
        return await self._toggle(viewer, track_id, "likes", True, token)

    async def unlike(self, viewer: Viewer, track_id: int) -> Engagement:
        return await self._toggle(viewer, track_id, "likes", False, None)

    async def repost(self, viewer: Viewer, track_id: int, token: str | None = None) -> Engagement:
        return await self._toggle(viewer, track_id, "reposts", True, token)

    async def unrepost(self, viewer: Viewer, track_id: int) -> Engagement:
        return await self._toggle(viewer, track_id, "reposts", False, None)

    async def comment(
        self,
        viewer: Viewer,
        track_id: int,
        body: str,
        timestamp_ms: int | None = None,
        token: str | None = None,
    ) -> Comment:
        """A small, high-volume command like a like: it may share its transaction with
        concurrent ones (group commit) and checks visibility against the cached track."""
        user_id = _user(viewer)
        text = comment_body(body)

        async def command(uow: UnitOfWork) -> Comment:
            now = self._deps.clock()
            track, policy = await visible_track(uow, viewer, track_id, now, token)
            if not access.can_comment(viewer, track.user_id, policy, now, token):
                raise PermissionDenied(
                    "comments are disabled on this track", reason="comments_disabled"
                )
            comment_timestamp(timestamp_ms, track.duration_ms)
            counted = await locked_class(uow, track, now)
            users, later = user_deltas(counted, "comments", {user_id: 1}, 1)
            c, _ = await uow.social.add_comment_counted(
                track_id,
                user_id,
                text,
                timestamp_ms,
                [
                    Increment(uow.counters.tracks, track_id, {"comments": 1}),
                    Increment(uow.counters.users, user_id, users[user_id]),
                ],
            )
            if counted.public_at is not None:
                await uow.counters.users.schedule(track_id, counted.public_at, later)
            return Comment(c.id, c.track_id, c.user_id, c.body, c.timestamp_ms, c.created_at)

        rows = RowLocks(policies=(track_id,), track_counts=(track_id,), user_counts=(user_id,))
        try:
            return await self._deps.db.write_grouped(command, cached_reads=True, locks=rows)
        except MissingReference:  # (deleted after the (cached) check: gone all the same)
            raise access.not_found("track") from None

    async def delete_comment(self, viewer: Viewer, comment_id: int) -> None:
        """The comment's author or the track's owner may delete it."""
        _user(viewer)
        now = self._deps.clock()

        async def command(uow: UnitOfWork) -> None:
            c = await uow.social.comment(comment_id)
            track = await uow.tracks.get(c.track_id) if c is not None else None
            policy = await uow.policies.get(track.id) if track is not None else None
            if c is None or track is None or policy is None:
                raise access.not_found("comment")
            access.require_comment_delete(viewer, c.user_id, track.user_id, policy, now)
            await uow.social.delete_comment(comment_id)
            await uow.counters.tracks.add(c.track_id, comments=-1)
            counted = await locked_class(uow, track, now)
            await count_for_users(uow, counted, "comments", {c.user_id: 1}, -1)

        await self._deps.db.transact(command)

    async def record_play(self, viewer: Viewer, track_id: int, token: str | None = None) -> int:
        """Count one play (not a range request: the client calls this once per listen)."""
        now = self._deps.clock()

        async def command(uow: UnitOfWork) -> int:
            track, policy = await visible_track(uow, viewer, track_id, now, token)
            access.require_reachable(viewer, track.user_id, policy, now)
            await uow.plays.record_play(track_id, viewer.user_id, viewer.app_id, viewer.territory)
            await uow.counters.tracks.add(track_id, plays=1)
            counts = (await uow.counters.track_counts([track_id]))[0]
            return counts.plays

        return await self._deps.db.transact(command)

    async def download(
        self, viewer: Viewer, track_id: int, token: str | None = None
    ) -> DownloadGrant:
        """A short-lived signed grant to fetch the original, when visible and downloadable; it
        carries the viewer, for the re-check and the count when it is redeemed."""
        now = self._deps.clock()
        async with self._deps.db.read() as uow:
            track, policy = await visible_track(uow, viewer, track_id, now, token)
        if not access.can_download(viewer, track.user_id, policy, now, token):
            raise PermissionDenied("this track is not downloadable", reason="not_downloadable")
        expires = now + DOWNLOAD_GRANT_TTL
        to = GrantedTo.of(viewer, track.user_id)
        claims = DownloadClaims(track_id, to, token_digest_of(token), secrets.token_urlsafe(6))
        signed = self._deps.grants.sign(DOWNLOAD_KIND, claims, expires)
        return DownloadGrant(token=signed, expires_at=expires, track_id=track_id)

    async def save_play_queue(self, viewer: Viewer, draft: PlayQueueDraft) -> None:
        """Store the signed-in viewer's play queue, replacing the one saved before (an empty
        one clears it). Every track must be visible to them, else NotFound naming it."""
        user_id = _user(viewer)
        queue = play_queue(draft)

        async def command(uow: UnitOfWork) -> None:
            if not queue.track_ids:
                await uow.plays.delete_play_queue(user_id)
                return
            wanted = list(dict.fromkeys(queue.track_ids))
            loaded = await load_visible_ids(uow, viewer, wanted, self._deps.clock())
            visible = {item.track.id for item in loaded}
            missing = [t for t in wanted if t not in visible]
            if missing:
                raise NotFound(f"track {missing[0]} not found", field="id")
            await uow.plays.save_play_queue(
                user_id, queue.track_ids, queue.current, queue.position_ms, queue.client
            )

        await self._deps.db.transact(command)
