"""Single listings in api-v2's shape: the query every list takes (`offset`, `limit`, `fields`)
and the one way a VAS page becomes a collection.

A list handler names only the VAS listing; selecting fields, paging, embedding owners in one
batch and the collection envelope happen here, the same way for every list.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from litestar import Request

from app.edge.kit.context import EdgeContext
from app.edge.web.embed import playlists_page, tracks_page
from app.edge.web.params import collection, page_cursor
from app.edge.web.playlists_repr import PLAYLIST
from app.edge.web.shapes import Render, Shape
from app.edge.web.tracks_repr import TRACK
from app.edge.web.users_repr import USER
from app.value_added.access import Viewer
from app.value_added.common.cursor import Page
from app.value_added.common.fieldmask import FieldMask
from app.value_added.playlists import Playlist
from app.value_added.tracks import Track, UserRef
from app.value_added.users import User

T = TypeVar("T")
Fetch = Callable[[FieldMask, str | None, int | None], Awaitable[Page[T]]]
"""One page of a VAS listing: (mask, VAS cursor, limit) -> page."""
FetchRefs = Callable[[str | None, int | None], Awaitable[Page[UserRef]]]
"""One page of user references (likers, reposters): (VAS cursor, limit) -> page."""


class ListQuery:
    """One list request: who asks, and its `offset`, `limit` and `fields` parameters."""

    def __init__(
        self,
        request: Request[Any, Any, Any],
        edge: EdgeContext,
        viewer: Viewer,
        offset: str | None,
        limit: int | None,
        fields: str | None,
    ) -> None:
        self.request, self.edge, self.viewer = request, edge, viewer
        self.offset, self.limit, self.fields = offset, limit, fields

    @property
    def cursor(self) -> str | None:
        return page_cursor(self.offset)

    async def tracks(
        self, fetch: Fetch[Track], shape: Shape[Track] = TRACK, full_users: bool = False
    ) -> dict[str, Any]:
        selection = shape.select(self.fields)
        page = await fetch(selection.mask, self.cursor, self.limit)
        items = await tracks_page(
            self.edge, self.viewer, self.request, page.items, selection, shape, full_users
        )
        return collection(self.request, items, page.next_cursor)

    async def playlists(self, fetch: Fetch[Playlist]) -> dict[str, Any]:
        selection = PLAYLIST.select(self.fields)
        page = await fetch(selection.mask, self.cursor, self.limit)
        items = await playlists_page(self.edge, self.viewer, self.request, page.items, selection)
        return collection(self.request, items, page.next_cursor)

    async def users(self, fetch: Fetch[User]) -> dict[str, Any]:
        selection = USER.select(self.fields)
        page = await fetch(selection.mask, self.cursor, self.limit)
        ctx = Render(request=self.request)
        items = [USER.render(u, selection, ctx) for u in page.items]
        return collection(self.request, items, page.next_cursor)

    async def people(self, fetch: FetchRefs) -> dict[str, Any]:
        """Likers or reposters: references from one VAS, their profiles in one batch."""
        page = await fetch(self.cursor, self.limit)
        selection = USER.select(self.fields)
        ids = [ref.user_id for ref in page.items]
        found = await self.edge.services.users.get_many(self.viewer, ids, selection.mask)
        users = {u.id: u for u in found}
        ctx = Render(request=self.request)
        items = [USER.render(users[i], selection, ctx) for i in ids if i in users]
        return collection(self.request, items, page.next_cursor)


def provide_list_query(
    request: Request[Any, Any, Any],
    edge: EdgeContext,
    viewer: Viewer,
    offset: str | None = None,
    limit: int | None = None,
    fields: str | None = None,
) -> ListQuery:
    return ListQuery(request, edge, viewer, offset, limit, fields)
