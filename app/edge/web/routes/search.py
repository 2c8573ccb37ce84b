"""Search (everything, tracks, users, albums, playlists) and resolve (a permalink URL)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any
from urllib.parse import urlparse

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromQuery

from app.edge.kit import bounds
from app.edge.kit.bounds import PageLimit
from app.edge.kit.context import EdgeContext
from app.edge.kit.routes import CATALOG
from app.edge.web.embedding import ListQuery, Rendered, mixed, playlists_page, tracks_page
from app.edge.web.errors import bad_request, not_found
from app.edge.web.mappers import P, collection
from app.edge.web.mappers.playlists import PLAYLIST_FULL
from app.edge.web.mappers.shapes import Render
from app.edge.web.mappers.tracks import TRACK_FULL
from app.edge.web.mappers.users import USER
from app.edge.web.params import Offset
from app.edge.web.representations.pages import (
    AlbumPlaylistCollection,
    Resolved,
    SearchCollection,
    TrackCollection,
    UserCollection,
)
from app.value_added.access import Viewer
from app.value_added.tracks import TrackQuery

USER_SUBPAGES = frozenset(
    {"tracks", "likes", "reposts", "albums", "followers", "following", "popular-tracks"}
)


class Searches:
    """Each kind of search as a listing source returning rendered items."""

    def __init__(
        self, request: Request[Any, Any, Any], edge: EdgeContext, viewer: Viewer, q: str | None
    ) -> None:
        self.request, self.edge, self.viewer = request, edge, viewer
        q = bounds.search_text(q)
        self.q = q.strip() if q and q.strip() not in ("", "*") else None

    @classmethod
    def of(cls, listing: ListQuery, q: str | None) -> Searches:
        return cls(listing.request, listing.edge, listing.viewer, q)

    async def tracks(
        self, cursor: str | None, limit: int | None, fields: str | None = None
    ) -> Rendered:
        selection = TRACK_FULL.select(fields)
        page = await self.edge.services.tracks.search(
            self.viewer, TrackQuery(text=self.q), selection.mask, cursor, limit
        )
        items = await tracks_page(
            self.edge, self.viewer, self.request, page.items, selection, TRACK_FULL, True
        )
        return items, page.next_cursor

    async def users(
        self, cursor: str | None, limit: int | None, fields: str | None = None
    ) -> Rendered:
        selection = USER.select(fields)
        page = await self.edge.services.users.search(
            self.viewer, self.q, selection.mask, cursor, limit
        )
        ctx = Render(request=self.request)
        return [USER.render(u, selection, ctx) for u in page.items], page.next_cursor

    async def sets(
        self, set_type: str, cursor: str | None, limit: int | None, fields: str | None = None
    ) -> Rendered:
        selection = PLAYLIST_FULL.select(fields)
        page = await self.edge.services.playlists.search(
            self.viewer, self.q, selection.mask, cursor, limit, set_type
        )
        items = await playlists_page(
            self.edge, self.viewer, self.request, page.items, selection, PLAYLIST_FULL, True
        )
        return items, page.next_cursor


async def _page(listing: ListQuery, page: type[P], search: Callable[..., Awaitable[Rendered]]) -> P:
    items, cursor = await search(listing.cursor, listing.limit, listing.fields)
    return collection(listing.request, page, items, cursor)


@get("/search", opt=CATALOG)
async def search_all(
    request: Request[Any, Any, Any],
    edge: NamedDependency[EdgeContext],
    viewer: NamedDependency[Viewer],
    q: FromQuery[str | None] = None,
    offset: Offset = None,
    limit: PageLimit = None,
) -> SearchCollection:
    s = Searches(request, edge, viewer, q)
    sources = {
        "u": s.users,
        "t": s.tracks,
        "p": lambda c, n: s.sets("playlist", c, n),
        "a": lambda c, n: s.sets("album", c, n),
    }
    return await mixed(request, SearchCollection, sources, offset, limit)


@get("/search/tracks", opt=CATALOG)
async def search_tracks(
    track_list: NamedDependency[ListQuery], q: FromQuery[str | None] = None
) -> TrackCollection:
    return await _page(track_list, TrackCollection, Searches.of(track_list, q).tracks)


@get("/search/users", opt=CATALOG)
async def search_users(
    user_list: NamedDependency[ListQuery], q: FromQuery[str | None] = None
) -> UserCollection:
    return await _page(user_list, UserCollection, Searches.of(user_list, q).users)


@get(["/search/albums", "/search/playlists_without_albums", "/search/playlists"], opt=CATALOG)
async def search_sets(
    playlist_list: NamedDependency[ListQuery], q: FromQuery[str | None] = None
) -> AlbumPlaylistCollection:
    set_type = "album" if playlist_list.request.url.path.endswith("/albums") else "playlist"
    search = partial(Searches.of(playlist_list, q).sets, set_type)
    return await _page(playlist_list, AlbumPlaylistCollection, search)


@get("/resolve", opt=CATALOG)
async def resolve(
    request: Request[Any, Any, Any],
    edge: NamedDependency[EdgeContext],
    viewer: NamedDependency[Viewer],
    url: FromQuery[str],
) -> Resolved:
    """`/<user>`, `/<user>/<track>[/<secret>]` or `/<user>/sets/<playlist>[/<secret>]`."""
    parts = [p for p in urlparse(url).path.split("/") if p]
    if not parts:
        raise bad_request("invalid_url", "url must name a user, track or playlist", "url")
    services = edge.services
    if len(parts) == 1 or (len(parts) == 2 and parts[1] in USER_SUBPAGES):
        found = await services.users.resolve(viewer, parts[0], USER.all().mask)
        return USER.render(found, USER.all(), Render(request=request))
    if parts[1] == "sets" and len(parts) in (3, 4):
        token = parts[3] if len(parts) == 4 else None
        selection = PLAYLIST_FULL.all()
        p = await services.playlists.resolve(viewer, parts[0], parts[2], selection.mask, token)
        return (await playlists_page(edge, viewer, request, [p], selection, PLAYLIST_FULL, True))[0]
    if len(parts) in (2, 3):
        token = parts[2] if len(parts) == 3 else None
        selection = TRACK_FULL.all()
        t = await services.tracks.resolve(viewer, parts[0], parts[1], selection.mask, token)
        tokens = {t.id: token} if token else None
        rendered = await tracks_page(
            edge, viewer, request, [t], selection, TRACK_FULL, True, tokens
        )
        return rendered[0]
    raise not_found("resource")


ROUTES = [search_all, search_tracks, search_users, search_sets, resolve]
