"""Lists along the like and repost edges of one kind of entity (tracks, playlists): what a user
liked or reposted, and who liked or reposted one entity — one implementation for every kind; and
when a user made their edges (likes, follows) to some entities."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, Literal, Protocol, TypeVar

import msgspec

from app.foundation.query import Key, Page
from app.foundation.social.records import EdgeRecord
from app.foundation.social.repository import Edges
from app.foundation.unit_of_work import UnitOfWork
from app.value_added.common.cursor import Page as VasPage
from app.value_added.common.deps import Deps
from app.value_added.common.fieldmask import FieldMask
from app.value_added.common.paging import everything, listing


class Asking(Protocol):
    """Who is asking, as far as their own edges go (the access policy's Viewer)."""

    @property
    def user_id(self) -> int | None: ...


V = TypeVar("V", bound=Asking)
"""Who is asking (the access policy's Viewer)."""
X = TypeVar("X")


class Identified(Protocol):
    """A listed entity (a track, a playlist)."""

    @property
    def id(self) -> int: ...


Y = TypeVar("Y", bound=Identified)

Which = Literal["likes", "reposts"]


class UserRef(msgspec.Struct, frozen=True):
    """A user who did something to an entity (liked, reposted), and when."""

    user_id: int
    at: dt.datetime


async def made_at(
    deps: Deps,
    user_id: int | None,
    target_ids: Sequence[int],
    edges: Callable[[UnitOfWork], Edges],
) -> dict[int, dt.datetime]:
    """Of `target_ids`, those `user_id` has an edge to (liked, follows …), with when it was
    made; nothing without a user. The user's own edges: nothing to filter."""
    if user_id is None or not target_ids:
        return {}
    async with deps.db.read() as uow:
        return await edges(uow).since(user_id, target_ids)


def with_times(page: VasPage[Y], times: dict[int, dt.datetime]) -> VasPage[Y]:
    """The page with `at`: when each listed item's event happened (from `times`, by id)."""
    at = {item.id: times[item.id] for item in page.items if item.id in times}
    return msgspec.structs.replace(page, at=at)


class EdgeLists(Generic[V, X, Y]):
    """The four lists of one kind of entity, each filtered for the viewer:

    - `edges(uow, which)`: the entity's like or repost edge table;
    - `keep(viewer, uow, ids)`: of these entity ids, what the viewer may see (in order);
    - `finish(viewer, mask, uow, kept)`: those as aggregates with the parts `mask` asks for;
    - `validate(mask)`: InvalidArgument for a mask naming unknown fields;
    - `require_visible(viewer, id)`: NotFound unless the viewer may see that entity.
    """

    def __init__(
        self,
        deps: Deps,
        kind: str,
        edges: Callable[[UnitOfWork, Which], Edges],
        keep: Callable[[V, UnitOfWork, list[int]], Awaitable[list[X]]],
        finish: Callable[[V, FieldMask, UnitOfWork, list[X]], Awaitable[list[Y]]],
        validate: Callable[[FieldMask], object],
        require_visible: Callable[[V, int], Awaitable[object]],
    ) -> None:
        self._deps = deps
        self._kind = kind
        self._edges = edges
        self._keep = keep
        self._finish = finish
        self._validate = validate
        self._require_visible = require_visible

    async def liked_by(
        self, viewer: V, user_id: int, mask: FieldMask, cursor: str | None, limit: int | None
    ) -> VasPage[Y]:
        """What a user liked (that the viewer may see), latest like first."""
        return await self._of_user(viewer, user_id, mask, cursor, limit, "likes")

    async def reposted_by(
        self, viewer: V, user_id: int, mask: FieldMask, cursor: str | None, limit: int | None
    ) -> VasPage[Y]:
        """What a user reposted (that the viewer may see), latest repost first."""
        return await self._of_user(viewer, user_id, mask, cursor, limit, "reposts")

    async def likers(
        self, viewer: V, target_id: int, cursor: str | None, limit: int | None
    ) -> VasPage[UserRef]:
        """Who liked the entity (NotFound when the viewer may not see it), latest first."""
        return await self._to_target(viewer, target_id, cursor, limit, "likes")

    async def reposters(
        self, viewer: V, target_id: int, cursor: str | None, limit: int | None
    ) -> VasPage[UserRef]:
        """Who reposted the entity (NotFound when the viewer may not see it), latest first."""
        return await self._to_target(viewer, target_id, cursor, limit, "reposts")

    async def liked_at(self, viewer: V, target_ids: Sequence[int]) -> dict[int, dt.datetime]:
        """When the viewer liked each of `target_ids` they like."""
        return await made_at(
            self._deps, viewer.user_id, target_ids, lambda uow: self._edges(uow, "likes")
        )

    async def _of_user(
        self,
        viewer: V,
        user_id: int,
        mask: FieldMask,
        cursor: str | None,
        limit: int | None,
        which: Which,
    ) -> VasPage[Y]:
        self._validate(mask)

        def fetch(uow: UnitOfWork, key: Key | None, n: int) -> Awaitable[Page[EdgeRecord]]:
            return self._edges(uow, which).of_user(user_id, key, n)

        times: dict[int, dt.datetime] = {}

        async def keep(uow: UnitOfWork, found: list[EdgeRecord]) -> list[X]:
            for e in found:
                times.setdefault(e.target_id, e.created_at)
            return await self._keep(viewer, uow, [e.target_id for e in found])

        async def finish(uow: UnitOfWork, kept: list[X]) -> list[Y]:
            return await self._finish(viewer, mask, uow, kept)

        scope = f"{self._kind}:{'liked' if which == 'likes' else 'reposted'}:{user_id}"
        return with_times(
            await listing(self._deps, scope, cursor, limit, fetch, keep, finish), times
        )

    async def _to_target(
        self, viewer: V, target_id: int, cursor: str | None, limit: int | None, which: Which
    ) -> VasPage[UserRef]:
        await self._require_visible(viewer, target_id)

        def fetch(uow: UnitOfWork, key: Key | None, n: int) -> Awaitable[Page[EdgeRecord]]:
            return self._edges(uow, which).to_target(target_id, key, n)

        async def refs(_: UnitOfWork, found: list[EdgeRecord]) -> list[UserRef]:
            return [UserRef(user_id=e.user_id, at=e.created_at) for e in found]

        scope = f"{self._kind}:{'likers' if which == 'likes' else 'reposters'}:{target_id}"
        return await listing(self._deps, scope, cursor, limit, fetch, everything, refs)
