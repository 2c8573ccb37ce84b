"""Mobile lists: the query every list takes (`limit`, `cursor`, `fields`) and its one pipeline.

A list handler names only what it lists; fetching with the translated mask and mapping the
page (owners embedded in one batch) happen here, the same way for every list.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import msgspec
from litestar.params import FromQuery

from app.edge.mobile import representations as rep
from app.edge.mobile.embedding import Embedder
from app.edge.mobile.fields import playlist_mask, track_mask, user_mask
from app.value_added.common.cursor import Page
from app.value_added.common.fieldmask import FieldMask
from app.value_added.playlists import Playlist
from app.value_added.tracks import Track
from app.value_added.users import User

T = TypeVar("T")

Fetch = Callable[[FieldMask, str | None, int | None], Awaitable[Page[T]]]
"""One page of a VAS list: (mask, cursor, limit) -> page."""


class Listing(msgspec.Struct, frozen=True):
    """The paging and field-mask query parameters of a mobile list."""

    limit: int | None
    cursor: str | None
    fields: str | None


def provide_listing(
    limit: FromQuery[int | None] = None,
    cursor: FromQuery[str | None] = None,
    fields: FromQuery[str | None] = None,
) -> Listing:
    return Listing(limit=limit, cursor=cursor, fields=fields)


async def tracks(embed: Embedder, listing: Listing, fetch: Fetch[Track]) -> rep.TrackCollection:
    mask = track_mask(listing.fields)
    page = await fetch(mask.vas, listing.cursor, listing.limit)
    return await embed.track_page(page, mask.wants("user"))


async def playlists(
    embed: Embedder, listing: Listing, fetch: Fetch[Playlist]
) -> rep.PlaylistCollection:
    mask = playlist_mask(listing.fields)
    return await embed.playlist_page(await fetch(mask.vas, listing.cursor, listing.limit))


async def users(embed: Embedder, listing: Listing, fetch: Fetch[User]) -> rep.UserCollection:
    mask = user_mask(listing.fields)
    return embed.user_page(await fetch(mask.vas, listing.cursor, listing.limit))
