"""Per-request assembly of large mobile documents: aggregates plus their embedded users."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any, TypeVar

from litestar import Request

from app.edge.kit import links
from app.edge.kit.caller import Caller
from app.edge.kit.context import EdgeContext
from app.edge.mobile import mappers
from app.edge.mobile import representations as rep
from app.edge.mobile.mappers.common import part
from app.edge.mobile.params import CARD_MASK, Listing, playlist_mask, track_mask, user_mask
from app.value_added.common.cursor import Page
from app.value_added.common.errors import PermissionDenied
from app.value_added.common.fieldmask import FieldMask
from app.value_added.media.urls import artwork_url
from app.value_added.playlists import Playlist
from app.value_added.registry import Services
from app.value_added.tracks import Comment, Track
from app.value_added.users import User

T = TypeVar("T")

Fetch = Callable[[FieldMask, str | None, int | None], Awaitable[Page[T]]]
"""One page of a VAS list: (mask, cursor, limit) -> page."""


class Embedder:
    """Maps aggregates for one request, embedding owners fetched from the Users VAS in ONE
    batch per document, whatever its size. Every list goes through `*_list` (one page with the
    translated mask, mapped with its owners), so a list handler names only what it lists."""

    def __init__(self, request: Request[Any, Any, Any], caller: Caller, edge: EdgeContext):
        self.request = request
        self.caller = caller
        self.viewer = caller.viewer
        self.services: Services = edge.services
        self.signed_in = not caller.is_anonymous

    def artwork(self, key: str | None) -> str | None:
        path = artwork_url(key)
        return links.absolute(self.request, path) if path else None

    def next_href(self, page: Page[Any]) -> str | None:
        return links.next_href(self.request, page.next_cursor)

    async def cards(self, user_ids: Iterable[int]) -> dict[int, rep.UserCard]:
        ids = list(dict.fromkeys(user_ids))
        if not ids:
            return {}
        users = await self.services.users.get_many(self.viewer, ids, CARD_MASK)
        return {u.id: self.card(u) for u in users}

    def card(self, user: User) -> rep.UserCard:
        return mappers.user_card(user, self.artwork, self.signed_in)

    async def tracks(
        self,
        items: Sequence[Track],
        embed: bool = True,
        owners: dict[int, rep.UserCard] | None = None,
    ) -> list[rep.TrackRep]:
        """Tracks with their owners: `owners` when the caller has them, else one batch."""
        if owners is None and embed:
            owners = await self.cards(t.user_id for t in items)
        return [mappers.track(t, self.artwork, owners, self.signed_in) for t in items]

    async def track(self, item: Track, embed: bool, secret_token: str | None) -> rep.TrackRep:
        owners = await self.cards([item.user_id]) if embed else None
        return mappers.track(
            item, self.artwork, owners, self.signed_in, await self.streams(item.id, secret_token)
        )

    async def streams(self, track_id: int, secret_token: str | None) -> list[rep.StreamRep]:
        """The viewer's stream URLs; a track the viewer may see but not play (access
        'blocked') is still shown, with no streams."""
        try:
            grants = await self.services.tracks.streams(self.viewer, track_id, secret_token)
        except PermissionDenied:
            return []
        return [part(g, rep.StreamRep) for g in grants]

    async def playlists(
        self, items: Sequence[Playlist], embed: bool = True, embed_tracks: bool = True
    ) -> list[rep.PlaylistRep]:
        """Playlists with their owners and their tracks' owners, all from one user batch."""
        ids: list[int] = []
        if embed:
            ids.extend(p.user_id for p in items)
        if embed_tracks:
            ids.extend(t.user_id for p in items if isinstance(p.tracks, list) for t in p.tracks)
        owners = await self.cards(ids) if embed or embed_tracks else None
        return [
            mappers.playlist(p, self.artwork, owners, self.signed_in, embed_tracks) for p in items
        ]

    async def comments(self, items: Sequence[Comment]) -> list[rep.CommentRep]:
        authors = await self.cards(c.user_id for c in items)
        return [mappers.comment(c, authors[c.user_id]) for c in items if c.user_id in authors]

    async def track_page(self, page: Page[Track], embed: bool = True) -> rep.TrackCollection:
        reps = await self.tracks(page.items, embed)
        return rep.TrackCollection(collection=reps, next_href=self.next_href(page))

    async def playlist_page(self, page: Page[Playlist]) -> rep.PlaylistCollection:
        reps = await self.playlists(page.items)
        return rep.PlaylistCollection(collection=reps, next_href=self.next_href(page))

    def user_page(self, page: Page[User]) -> rep.UserCollection:
        reps = [self.profile_fields_card(u) for u in page.items]
        return rep.UserCollection(collection=reps, next_href=self.next_href(page))

    def profile_fields_card(self, user: User) -> rep.UserCard:
        return rep.UserCard(id=user.id, **mappers.user_fields(user, self.artwork, self.signed_in))

    async def track_list(self, listing: Listing, fetch: Fetch[Track]) -> rep.TrackCollection:
        mask = track_mask(listing.fields)
        page = await fetch(mask.vas, listing.cursor, listing.limit)
        return await self.track_page(page, mask.wants("user"))

    async def playlist_list(
        self, listing: Listing, fetch: Fetch[Playlist]
    ) -> rep.PlaylistCollection:
        mask = playlist_mask(listing.fields)
        return await self.playlist_page(await fetch(mask.vas, listing.cursor, listing.limit))

    async def user_list(self, listing: Listing, fetch: Fetch[User]) -> rep.UserCollection:
        mask = user_mask(listing.fields)
        return self.user_page(await fetch(mask.vas, listing.cursor, listing.limit))
