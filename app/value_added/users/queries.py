"""Users VAS queries: profiles by id or permalink, search, follow lists, when the viewer followed
whom, and web profiles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from app.foundation.query import Key
from app.value_added import access
from app.value_added.access import Viewer
from app.value_added.common import cursor as cursors
from app.value_added.common.cursor import Page as VasPage
from app.value_added.common.deps import Deps
from app.value_added.common.edges import made_at
from app.value_added.common.fieldmask import FieldMask
from app.value_added.users.aggregates import USER_PATHS, User, WebProfile
from app.value_added.users.loading import assemble


def _validate(mask: FieldMask) -> FieldMask:
    return mask.validate(USER_PATHS, "user")


class UserQueries:
    """User aggregates are public profiles; counts come from the read model."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def get(self, viewer: Viewer, user_id: int, mask: FieldMask) -> User:
        found = await self.get_many(viewer, [user_id], mask)
        if not found:
            raise access.not_found("user")
        return found[0]

    async def get_many(self, viewer: Viewer, ids: Sequence[int], mask: FieldMask) -> list[User]:
        _validate(mask)
        async with self._deps.db.read() as uow:
            return await assemble(
                uow, viewer, self._deps.clock(), await uow.users.get_many(ids), mask
            )

    async def resolve(self, viewer: Viewer, permalink: str, mask: FieldMask) -> User:
        _validate(mask)
        async with self._deps.db.read() as uow:
            record = await uow.users.by_permalink(permalink)
            if record is None:
                raise access.not_found("user")
            return (await assemble(uow, viewer, self._deps.clock(), [record], mask))[0]

    async def search(
        self,
        viewer: Viewer,
        text: str | None,
        mask: FieldMask,
        cursor: str | None,
        limit: int | None,
    ) -> VasPage[User]:
        _validate(mask)
        size = cursors.clamp_limit(limit)
        scope = "users:search"
        after = self._deps.cursors.decode(scope, cursor)
        async with self._deps.db.read() as uow:
            if text and text.strip():
                page = await uow.users.search(text.strip(), after, size)
            else:
                page = await uow.users.page(after, size)
            items = await assemble(uow, viewer, self._deps.clock(), page.items, mask)
        return VasPage(items=items, next_cursor=self._deps.cursors.encode(scope, page.next_key))

    async def followers(
        self, viewer: Viewer, user_id: int, mask: FieldMask, cursor: str | None, limit: int | None
    ) -> VasPage[User]:
        return await self._follow_page(viewer, user_id, mask, cursor, limit, "followers")

    async def followings(
        self, viewer: Viewer, user_id: int, mask: FieldMask, cursor: str | None, limit: int | None
    ) -> VasPage[User]:
        """The users this user follows (also what the BFFs offer as a user's related artists:
        a simple, explainable notion)."""
        return await self._follow_page(viewer, user_id, mask, cursor, limit, "followings")

    async def followed_at(self, viewer: Viewer, user_ids: Sequence[int]) -> dict[int, dt.datetime]:
        """When the viewer followed each of `user_ids` they follow."""
        return await made_at(self._deps, viewer.user_id, user_ids, lambda uow: uow.social.follows)

    async def web_profiles(self, user_id: int) -> list[WebProfile]:
        async with self._deps.db.read() as uow:
            if await uow.users.get(user_id) is None:
                raise access.not_found("user")
            found = await uow.users.web_profiles(user_id)
        return [
            WebProfile(p.id, p.service, p.title, p.url, p.username, p.created_at) for p in found
        ]

    async def _follow_page(
        self,
        viewer: Viewer,
        user_id: int,
        mask: FieldMask,
        cursor: str | None,
        limit: int | None,
        which: str,
    ) -> VasPage[User]:
        _validate(mask)
        size = cursors.clamp_limit(limit)
        scope = f"users:{which}:{user_id}"
        after: Key | None = self._deps.cursors.decode(scope, cursor)
        async with self._deps.db.read() as uow:
            if await uow.users.get(user_id) is None:
                raise access.not_found("user")
            follows = uow.social.follows
            if which == "followers":
                page = await follows.to_target(user_id, after, size)
                ids = [e.user_id for e in page.items]
            else:
                page = await follows.of_user(user_id, after, size)
                ids = [e.target_id for e in page.items]
            users = await assemble(
                uow, viewer, self._deps.clock(), await uow.users.get_many(ids), mask
            )
        return VasPage(items=users, next_cursor=self._deps.cursors.encode(scope, page.next_key))
