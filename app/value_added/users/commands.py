"""Users VAS commands: follow and unfollow."""

from __future__ import annotations

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
        follow_target(me, user_id)

        async def command(uow: UnitOfWork) -> FollowResult:
            if await uow.users.get(user_id) is None:
                raise access.not_found("user")
            follows = uow.social.follows
            if await (follows.add if on else follows.remove)(me, user_id):
                delta = 1 if on else -1
                await uow.counters.users.add(me, followings=delta)
                await uow.counters.users.add(user_id, followers=delta)
            counts = (await uow.counters.user_counts([user_id]))[0]
            return FollowResult(following=on, followers=counts.followers)

        # small and high-volume: may share its transaction with concurrent ones (group commit)
        return await self._deps.db.write_grouped(command)
