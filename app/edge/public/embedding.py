"""Per-request batch loading through the value-added services: the owners a page embeds in ONE
Users VAS call, the people behind likes and reposts, and a track's stream grants."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any, TypeVar

from litestar import Request

from app.edge.kit.context import EdgeContext
from app.edge.kit.links import Links
from app.edge.public import mappers
from app.edge.public import representations as rep
from app.edge.public.mappers import USER_MASK, PageT
from app.edge.public.params.query import ALL_ACCESS, Query
from app.value_added.access import Access, Viewer
from app.value_added.common.cursor import Page
from app.value_added.media import StreamGrant
from app.value_added.playlists import Playlist
from app.value_added.registry import Services
from app.value_added.tracks import Comment, Track, UserRef
from app.value_added.users import User

FetchRefs = Callable[[str | None, int | None], Awaitable[Page[UserRef]]]
"""One page of user references (favoriters, reposters): (cursor, limit) -> page."""
ItemT = TypeVar("ItemT")


class Embedder:
    """Maps the aggregates of one request to representations, embedding their owners."""

    def __init__(
        self, request: Request[Any, Any, Any], edge: EdgeContext, viewer: Viewer, query: Query
    ) -> None:
        self.services: Services = edge.services
        self.viewer = viewer
        self.query = query
        self.links = Links(request)

    async def owners(self, ids: Iterable[int]) -> dict[int, User]:
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return {}
        found = await self.services.users.get_many(self.viewer, wanted, USER_MASK)
        return {u.id: u for u in found}

    async def tracks(self, items: Sequence[Track]) -> list[rep.Track]:
        owners = await self.owners(t.user_id for t in items)
        return [mappers.track(t, owners, self.links) for t in items]

    async def track(self, item: Track) -> rep.Track:
        return (await self.tracks([item]))[0]

    async def playlists(self, items: Sequence[Playlist], with_tracks: bool) -> list[rep.Playlist]:
        ids = [p.user_id for p in items]
        for p in items:
            if isinstance(p.tracks, list):
                ids.extend(t.user_id for t in p.tracks)
        owners = await self.owners(ids)
        return [mappers.playlist(p, owners, self.links, with_tracks=with_tracks) for p in items]

    def users(self, items: Sequence[User]) -> list[rep.User]:
        return [mappers.user(u, self.links) for u in items]

    async def users_by_id(self, ids: Sequence[int]) -> list[rep.User]:
        owners = await self.owners(ids)
        return [mappers.user(owners[i], self.links) for i in ids if i in owners]

    async def people(self, fetch: FetchRefs) -> rep.Users:
        """Favoriters or reposters: references from a VAS, their users in one batch."""
        page = await fetch(self.query.cursor, self.query.limit())
        users = await self.users_by_id([ref.user_id for ref in page.items])
        return self.collection(rep.Users, users, page.next_cursor)

    async def comments(self, items: Sequence[Comment]) -> list[rep.Comment]:
        owners = await self.owners(c.user_id for c in items)
        return [mappers.comment(c, owners, self.links) for c in items]

    async def stream_grants(self, track_id: int) -> list[StreamGrant]:
        """The viewer's stream grants (the Tracks VAS checks visibility)."""
        return list(
            await self.services.tracks.streams(
                self.viewer, track_id, secret_token=self.query.secret_token
            )
        )

    def collection(self, kind: type[PageT], items: list[Any], next_cursor: str | None) -> PageT:
        return mappers.collection(kind, self.links, items, next_cursor)

    def listing(
        self, kind: type[PageT], items: list[ItemT], next_cursor: str | None
    ) -> PageT | list[ItemT]:
        return mappers.listing(kind, self.links, self.query.linked, items, next_cursor)


def keep_access(items: Sequence[Track], levels: frozenset[Access]) -> list[Track]:
    """Only tracks whose access (computed by the access policy) the caller asked for."""
    if levels == ALL_ACCESS:
        return list(items)
    return [t for t in items if not t.policy or t.policy.access in levels]
