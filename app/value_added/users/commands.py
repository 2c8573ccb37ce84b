"""Users VAS commands: follow and unfollow."""

from __future__ import annotations

from app.foundation.counters.repository import Increment
from app.foundation.db import MissingReference
from app.foundation.row_locks import RowLocks
from app.foundation.unit_of_work import UnitOfWork
from app.value_added import access
from app.value_added.access import Viewer
from app.value_added.common.deps import Deps
from app.value_added.common.errors import Unauthenticated
from app.value_added.users.aggregates import FollowResult
from app.value_added.users.validation import follow_target


class FollowCommands:
    """Follow edges and both users' counters change in one transaction."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def follow(self, viewer: Viewer, user_id: int) -> FollowResult:
        return await self._toggle(viewer, user_id, True)

    async def unfollow(self, viewer: Viewer, user_id: int) -> FollowResult:
        return await self._toggle(viewer, user_id, False)

    async def _toggle(self, viewer: Viewer, user_id: int, on: bool) -> FollowResult:
        if viewer.user_id is None:
            raise Unauthenticated("following needs a signed-in user", reason="user_required")
        me = viewer.user_id
        if on:  # unfollowing oneself is the no-op it looks like: nobody follows themselves
            follow_target(me, user_id)

        async def command(uow: UnitOfWork) -> FollowResult:
            if await uow.users.get(user_id) is None:
                raise access.not_found("user")
            delta = 1 if on else -1
            users = uow.counters.users
            # both counter rows in user id order: crossing follows never wait for each other
            # (one statement on PostgreSQL with the edge, counted only if the edge changed)
            mine = Increment(users, me, {"followings": delta})
            theirs = Increment(users, user_id, {"followers": delta})
            increments = [mine, theirs] if me < user_id else [theirs, mine]
            _, counts = await uow.social.follows.toggle(me, user_id, on, increments)
            if not any(c is not None and c.user_id == user_id for c in counts):
                counts = await uow.counters.user_counts([user_id])  # (unchanged: as they are)
            followee = next(c for c in counts if c is not None and c.user_id == user_id)
            return FollowResult(following=on, followers=followee.followers)

        # small and high-volume: may share its transaction with concurrent ones (group
        # commit); the followee's existence may be read from the cache (a user deleted since
        # is a missing reference: NotFound all the same)
        rows = RowLocks(user_counts=(me, user_id))
        try:
            return await self._deps.db.write_grouped(command, cached_reads=True, locks=rows)
        except MissingReference:
            raise access.not_found("user") from None
