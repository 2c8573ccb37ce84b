"""Users VAS commands: follow and unfollow."""

from __future__ import annotations

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
            follows = uow.social.follows
            if not await (follows.add if on else follows.remove)(me, user_id):
                counts = (await uow.counters.user_counts([user_id]))[0]
                return FollowResult(following=on, followers=counts.followers)
            delta = 1 if on else -1
            users = uow.counters.users
            # both counter rows in user id order: crossing follows never wait for each other
            if me < user_id:
                await users.add(me, followings=delta)
                counts = await users.add(user_id, followers=delta)
            else:
                counts = await users.add(user_id, followers=delta)
                await users.add(me, followings=delta)
            return FollowResult(following=on, followers=counts.followers)

        # small and high-volume: may share its transaction with concurrent ones (group
        # commit); the followee's existence may be read from the cache (a user deleted since
        # is a missing reference: NotFound all the same)
        rows = RowLocks(user_counts=(me, user_id))
        try:
            return await self._deps.db.write_grouped(command, cached_reads=True, locks=rows)
        except MissingReference:
            raise access.not_found("user") from None
