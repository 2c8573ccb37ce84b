"""The Users VAS: profiles with counts, follows, social lists and web profiles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from app.foundation.query import Key
from app.foundation.unit_of_work import UnitOfWork
from app.foundation.users.records import UserRecord
from app.value_added.access import Viewer
from app.value_added.common import cursor as cursors
from app.value_added.common.cursor import Page as VasPage
from app.value_added.common.deps import Deps
from app.value_added.common.errors import InvalidArgument, NotFound, Unauthenticated
from app.value_added.common.fieldmask import FieldMask
from app.value_added.users.aggregates import (
    METADATA_FIELDS,
    USER_PATHS,
    FollowResult,
    User,
    UserStats,
    UserViewerState,
    WebProfile,
)

NOT_FOUND = "user not found"


def _validate(mask: FieldMask) -> FieldMask:
    return mask.validate(USER_PATHS, "user")


class UsersService:
    """User aggregates are public profiles; counts come from the read model."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def get(self, viewer: Viewer, user_id: int, mask: FieldMask) -> User:
        found = await self.get_many(viewer, [user_id], mask)
        if not found:
            raise NotFound(NOT_FOUND)
        return found[0]

    async def get_many(self, viewer: Viewer, ids: Sequence[int], mask: FieldMask) -> list[User]:
        _validate(mask)
        async with self._deps.db.read() as uow:
            return await self._assemble(uow, viewer, await uow.users.get_many(ids), mask)

    async def resolve(self, viewer: Viewer, permalink: str, mask: FieldMask) -> User:
        _validate(mask)
        async with self._deps.db.read() as uow:
            record = await uow.users.by_permalink(permalink)
            if record is None:
                raise NotFound(NOT_FOUND)
            return (await self._assemble(uow, viewer, [record], mask))[0]

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
            items = await self._assemble(uow, viewer, page.items, mask)
        return VasPage(items=items, next_cursor=self._deps.cursors.encode(scope, page.next_key))

    async def followers(
        self, viewer: Viewer, user_id: int, mask: FieldMask, cursor: str | None, limit: int | None
    ) -> VasPage[User]:
        return await self._follow_page(viewer, user_id, mask, cursor, limit, "followers")

    async def followings(
        self, viewer: Viewer, user_id: int, mask: FieldMask, cursor: str | None, limit: int | None
    ) -> VasPage[User]:
        return await self._follow_page(viewer, user_id, mask, cursor, limit, "followings")

    async def related(
        self, viewer: Viewer, user_id: int, mask: FieldMask, cursor: str | None, limit: int | None
    ) -> VasPage[User]:
        """Users that this user follows (a simple, explainable notion of related artists)."""
        return await self._follow_page(viewer, user_id, mask, cursor, limit, "followings")

    async def web_profiles(self, user_id: int) -> list[WebProfile]:
        async with self._deps.db.read() as uow:
            if await uow.users.get(user_id) is None:
                raise NotFound(NOT_FOUND)
            found = await uow.users.web_profiles(user_id)
        return [
            WebProfile(p.id, p.service, p.title, p.url, p.username, p.created_at) for p in found
        ]

    async def follow(self, viewer: Viewer, user_id: int) -> FollowResult:
        return await self._toggle_follow(viewer, user_id, True)

    async def unfollow(self, viewer: Viewer, user_id: int) -> FollowResult:
        return await self._toggle_follow(viewer, user_id, False)

    async def followed_at(self, viewer: Viewer, user_ids: Sequence[int]) -> dict[int, dt.datetime]:
        """When the viewer followed each of `user_ids` they follow."""
        if viewer.user_id is None or not user_ids:
            return {}
        async with self._deps.db.read() as uow:
            return await uow.social.follows.since(viewer.user_id, user_ids)

    async def is_following(self, viewer: Viewer, user_id: int) -> bool:
        if viewer.user_id is None:
            return False
        async with self._deps.db.read() as uow:
            return await uow.social.follows.exists(viewer.user_id, user_id)

    async def _toggle_follow(self, viewer: Viewer, user_id: int, on: bool) -> FollowResult:
        if viewer.user_id is None:
            raise Unauthenticated("following needs a signed-in user", reason="user_required")
        me = viewer.user_id
        if me == user_id:
            raise InvalidArgument(
                "you cannot follow yourself", reason="self_follow", field="user_id"
            )

        async def command(uow: UnitOfWork) -> FollowResult:
            if await uow.users.get(user_id) is None:
                raise NotFound(NOT_FOUND)
            follows = uow.social.follows
            if await (follows.add if on else follows.remove)(me, user_id):
                delta = 1 if on else -1
                await uow.counters.users.add(me, followings=delta)
                await uow.counters.users.add(user_id, followers=delta)
            counts = (await uow.counters.user_counts([user_id]))[0]
            return FollowResult(following=on, followers=counts.followers)

        # small and high-volume: may share its transaction with concurrent ones (group commit)
        return await self._deps.db.write_grouped(command)

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
                raise NotFound(NOT_FOUND)
            follows = uow.social.follows
            if which == "followers":
                page = await follows.to_target(user_id, after, size)
                ids = [e.user_id for e in page.items]
            else:
                page = await follows.of_user(user_id, after, size)
                ids = [e.target_id for e in page.items]
            users = await self._assemble(uow, viewer, await uow.users.get_many(ids), mask)
        return VasPage(items=users, next_cursor=self._deps.cursors.encode(scope, page.next_key))

    async def _assemble(
        self, uow: UnitOfWork, viewer: Viewer, records: Sequence[UserRecord], mask: FieldMask
    ) -> list[User]:
        if not records:
            return []
        ids = [r.id for r in records]
        stats: dict[int, UserStats] = {}
        if mask.wants("stats"):
            for c in await uow.counters.user_counts(ids):
                stats[c.user_id] = UserStats(
                    c.followers,
                    c.followings,
                    c.tracks,
                    c.playlists,
                    c.likes,
                    c.playlist_likes,
                    c.reposts,
                    c.comments,
                )
        following: set[int] = set()
        followed_by: set[int] = set()
        if mask.wants("viewer") and viewer.user_id is not None:
            following = await uow.social.follows.which(viewer.user_id, ids)
            followed_by = await uow.social.follows.sources_among(viewer.user_id, ids)
        wanted = [f for f in METADATA_FIELDS if mask.wants(f)]
        result = []
        for r in records:
            parts: dict[str, Any] = {}
            for f in wanted:
                parts[f] = _full_name(r) if f == "full_name" else getattr(r, f)
            if mask.wants("stats"):
                parts["stats"] = stats[r.id]
            if mask.wants("viewer"):
                parts["viewer"] = UserViewerState(r.id in following, r.id in followed_by)
            result.append(User(id=r.id, **parts))
        return result


def _full_name(r: UserRecord) -> str:
    return " ".join(p for p in (r.first_name, r.last_name) if p)
