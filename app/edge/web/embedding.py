"""Batch loading through the value-added services for api-v2 pages: the owners of a page's
items in ONE Users VAS call, the one way a VAS page becomes a collection (`ListQuery`), and
mixed pages (search, likes, stream) that merge several VAS listings under one opaque offset."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from litestar import Request

from app.edge.kit.context import EdgeContext
from app.edge.web.mappers import P, collection
from app.edge.web.mappers.playlists import PLAYLIST
from app.edge.web.mappers.shapes import E, Render, Selection, Shape
from app.edge.web.mappers.tracks import TRACK, TRACK_FULL
from app.edge.web.mappers.users import BASIC_USER, USER
from app.edge.web.params import pack_cursors, page_cursor, unpack_cursors
from app.edge.web.representations.pages import (
    BasicAlbumPlaylistCollection,
    BasicTrackCollection,
    TrackCollection,
    UserCollection,
)
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
Rendered = tuple[list[Any], str | None]
Source = Callable[[str | None, int | None], Awaitable[Rendered]]
"""(VAS cursor, limit) -> (rendered items, next VAS cursor)."""


async def render_context(
    edge: EdgeContext,
    viewer: Viewer,
    request: Request[Any, Any, Any],
    user_ids: Iterable[int],
    full_users: bool = False,
    secret_tokens: dict[int, str] | None = None,
) -> Render:
    ids = list(dict.fromkeys(user_ids))
    shape = USER if full_users else BASIC_USER
    found = await edge.services.users.get_many(viewer, ids, shape.all().mask) if ids else []
    return Render(
        request=request, users={u.id: u for u in found}, secret_tokens=secret_tokens or {}
    )


def owners(tracks: Sequence[Track] = (), playlists: Sequence[Playlist] = ()) -> list[int]:
    """Every user a page embeds: track owners, playlist owners and their tracks' owners."""
    ids = [t.user_id for t in tracks]
    for p in playlists:
        ids.append(p.user_id)
        ids.extend(t.user_id for t in (p.tracks or []))
    return ids


async def tracks_page(
    edge: EdgeContext,
    viewer: Viewer,
    request: Request[Any, Any, Any],
    tracks: Sequence[Track],
    selection: Selection,
    shape: Shape[Track, E],
    full_users: bool = False,
    secret_tokens: dict[int, str] | None = None,
) -> list[E]:
    ids = owners(tracks) if selection.users else []
    ctx = await render_context(edge, viewer, request, ids, full_users, secret_tokens)
    return [shape.render(t, selection, ctx) for t in tracks]


async def playlists_page(
    edge: EdgeContext,
    viewer: Viewer,
    request: Request[Any, Any, Any],
    playlists: Sequence[Playlist],
    selection: Selection,
    shape: Shape[Playlist, E],
    full_users: bool = False,
) -> list[E]:
    ids = owners(playlists=playlists) if selection.users else []
    ctx = await render_context(edge, viewer, request, ids, full_users)
    return [shape.render(p, selection, ctx) for p in playlists]


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

    async def _tracks(
        self, fetch: Fetch[Track], shape: Shape[Track, Any], page: type[P], full_users: bool
    ) -> P:
        selection = shape.select(self.fields)
        found = await fetch(selection.mask, self.cursor, self.limit)
        items = await tracks_page(
            self.edge, self.viewer, self.request, found.items, selection, shape, full_users
        )
        return collection(self.request, page, items, found.next_cursor)

    async def tracks(self, fetch: Fetch[Track]) -> BasicTrackCollection:
        return await self._tracks(fetch, TRACK, BasicTrackCollection, False)

    async def full_tracks(self, fetch: Fetch[Track]) -> TrackCollection:
        """Tracks whose owners come with counts."""
        return await self._tracks(fetch, TRACK_FULL, TrackCollection, True)

    async def playlists(self, fetch: Fetch[Playlist]) -> BasicAlbumPlaylistCollection:
        selection = PLAYLIST.select(self.fields)
        page = await fetch(selection.mask, self.cursor, self.limit)
        items = await playlists_page(
            self.edge, self.viewer, self.request, page.items, selection, PLAYLIST
        )
        return collection(self.request, BasicAlbumPlaylistCollection, items, page.next_cursor)

    async def users(self, fetch: Fetch[User]) -> UserCollection:
        selection = USER.select(self.fields)
        page = await fetch(selection.mask, self.cursor, self.limit)
        ctx = Render(request=self.request)
        items = [USER.render(u, selection, ctx) for u in page.items]
        return collection(self.request, UserCollection, items, page.next_cursor)

    async def people(self, fetch: FetchRefs) -> UserCollection:
        """Likers or reposters: references from one VAS, their profiles in one batch."""
        page = await fetch(self.cursor, self.limit)
        selection = USER.select(self.fields)
        ids = [ref.user_id for ref in page.items]
        found = await self.edge.services.users.get_many(self.viewer, ids, selection.mask)
        users = {u.id: u for u in found}
        ctx = Render(request=self.request)
        items = [USER.render(users[i], selection, ctx) for i in ids if i in users]
        return collection(self.request, UserCollection, items, page.next_cursor)


async def mixed(
    request: Request[Any, Any, Any],
    page: type[P],
    sources: Mapping[str, Source],
    offset: str | None,
    limit: int | None,
) -> P:
    """One page of each listing that still has pages, in the order given."""
    state = unpack_cursors(page_cursor(offset), tuple(sources))
    items: list[Any] = []
    following: dict[str, str] = {}
    for name, cursor in state.items():
        rendered, next_cursor = await sources[name](cursor, limit)
        items.extend(rendered)
        if next_cursor:
            following[name] = next_cursor
    return collection(request, page, items, pack_cursors(following))
