"""Search across tracks, users and playlists; `kind=all` answers all three in one response."""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import urlencode

from litestar import get
from litestar.di import NamedDependency
from litestar.params import FromQuery

from app.edge.kit import bounds, links
from app.edge.kit.bounds import PageLimit, SearchText
from app.edge.kit.routes import CATALOG
from app.edge.mobile import representations as rep
from app.edge.mobile.embedding import Embedder
from app.edge.mobile.params import (
    PLAYLIST_CARD_MASK,
    SearchFields,
    playlist_mask,
    search_fields,
    track_mask,
    user_mask,
)
from app.value_added.common.cursor import Page
from app.value_added.common.fieldmask import FieldMask
from app.value_added.tracks import TrackQuery

Kind = Literal["tracks", "users", "playlists", "all"]
SearchAnswer = rep.SearchResults | rep.TrackCollection | rep.UserCollection | rep.PlaylistCollection
ALL_LIMIT = 10
"""Per-kind page size of `kind=all` when no limit is given."""


@get("/search", opt=CATALOG, summary="Search tracks, users and/or playlists")
async def search(
    embed: NamedDependency[Embedder],
    q: SearchText = "",
    kind: FromQuery[Kind] = "all",
    limit: PageLimit = None,
    cursor: FromQuery[str | None] = None,
    fields: SearchFields = None,
) -> SearchAnswer:
    vas, viewer = embed.services, embed.viewer
    q = bounds.search_text(q) or ""
    fields = search_fields(fields)
    if kind == "tracks":
        mask = track_mask(fields, lenient=True)
        query = TrackQuery(text=q or None)
        tracks = await vas.tracks.search(viewer, query, mask.vas, cursor, limit)
        return await embed.track_page(tracks, mask.wants("user"))
    if kind == "users":
        users = await vas.users.search(
            viewer, q, user_mask(fields, lenient=True).vas, cursor, limit
        )
        return embed.user_page(users)
    if kind == "playlists":
        found = await vas.playlists.search(
            viewer, q, playlist_mask(fields, lenient=True).vas, cursor, limit
        )
        return await embed.playlist_page(found)
    size = limit or ALL_LIMIT
    query = TrackQuery(text=q or None)
    tracks = await vas.tracks.search(viewer, query, FieldMask.all(), None, size)
    users = await vas.users.search(viewer, q, FieldMask.all(), None, size)
    playlists = await vas.playlists.search(viewer, q, PLAYLIST_CARD_MASK, None, size)
    track_reps = await embed.tracks(tracks.items)
    playlist_reps = await embed.playlists(playlists.items, embed_tracks=False)
    return rep.SearchResults(
        tracks=rep.TrackCollection(
            collection=track_reps, next_href=_more(embed, "tracks", size, tracks)
        ),
        users=rep.UserCollection(
            collection=[embed.profile_fields_card(u) for u in users.items],
            next_href=_more(embed, "users", size, users),
        ),
        playlists=rep.PlaylistCollection(
            collection=playlist_reps, next_href=_more(embed, "playlists", size, playlists)
        ),
    )


def _more(embed: Embedder, kind: str, size: int, page: Page[Any]) -> str | None:
    """The next page of one kind of a `kind=all` answer, as a single-kind search that keeps the
    request's other query parameters (credentials excepted, as in kit links.next_href)."""
    if page.next_cursor is None:
        return None
    dropped = ("kind", "limit", "cursor", "oauth_token")
    params = [(k, v) for k, v in embed.request.query_params.multi_items() if k not in dropped]
    params += [("kind", kind), ("limit", str(size)), ("cursor", page.next_cursor)]
    path = links.mount_path(embed.request) + "/search"
    return f"{links.base_url(embed.request)}{path}?{urlencode(params)}"


ROUTES = [search]
