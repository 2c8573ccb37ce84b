"""Users: search, profile, related, followers, followings, tracks, playlists, likes, reposts."""

from __future__ import annotations

from typing import Any

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from app.edge.kit.openapi import described
from app.edge.kit.routes import CATALOG
from app.edge.public import mappers
from app.edge.public import representations as rep
from app.edge.public.embedding import Embedder, keep_access
from app.edge.public.mappers import PLAYLIST_MASK, TRACK_MASK, USER_MASK
from app.edge.public.params import ids
from app.edge.public.params import query_schemas as q
from app.edge.public.params.query import DEFAULT_ACCESS
from app.edge.public.routes import json
from app.edge.public.routes.playlists import mask_for
from app.value_added.access import Access

LIST_ANSWERS: dict[str, Any] = {
    "tracks": Response[rep.TrackListing],
    "playlists": Response[rep.PlaylistListing],
    "users": Response[rep.Users],
}
"""What a handler answering one of a user's lists of `kind` answers: the annotation a route
factory gives the handler it makes, so that the document names the list's representation."""


async def user_tracks(
    embed: Embedder, user_id: int, which: str, default_access: frozenset[Access]
) -> rep.TrackListing:
    tracks, query = embed.services.tracks, embed.query
    fetch = {"own": tracks.by_user, "likes": tracks.liked_by, "reposts": tracks.reposted_by}
    await embed.services.users.get(embed.viewer, user_id, USER_MASK)
    page = await fetch[which](embed.viewer, user_id, TRACK_MASK, query.cursor, query.limit())
    items = keep_access(page.items, query.access(default_access))
    return embed.listing(rep.Tracks, await embed.tracks(items), page.next_cursor)


async def user_playlists(embed: Embedder, user_id: int, which: str) -> rep.PlaylistListing:
    playlists, query, viewer = embed.services.playlists, embed.query, embed.viewer
    await embed.services.users.get(viewer, user_id, USER_MASK)
    if which == "own":
        mask, with_tracks = mask_for(embed)
        page = await playlists.by_user(viewer, user_id, mask, query.cursor, query.limit())
    else:
        fetch = playlists.liked_by if which == "likes" else playlists.reposted_by
        with_tracks = False
        page = await fetch(viewer, user_id, PLAYLIST_MASK, query.cursor, query.limit())
    found = await embed.playlists(page.items, with_tracks)
    return embed.listing(rep.Playlists, found, page.next_cursor)


async def follow_list(embed: Embedder, user_id: int, which: str) -> rep.Users:
    users, query = embed.services.users, embed.query
    fetch = {"followers": users.followers, "followings": users.followings}.get(which, users.related)
    page = await fetch(embed.viewer, user_id, USER_MASK, query.cursor, query.limit())
    return embed.collection(rep.Users, embed.users(page.items), page.next_cursor)


async def list_of(
    embed: Embedder, user_id: int, which: str, kind: str, default_access: frozenset[Access]
) -> rep.TrackListing | rep.PlaylistListing | rep.Users:
    """One of a user's lists: `kind` tracks, playlists or users; `which` own, likes, reposts,
    followers, followings or related."""
    if kind == "tracks":
        return await user_tracks(embed, user_id, which, default_access)
    if kind == "playlists":
        return await user_playlists(embed, user_id, which)
    return await follow_list(embed, user_id, which)


@get("/users", opt=CATALOG, operation_class=described(parameters=q.SEARCH_USERS))
async def search_users(embed: NamedDependency[Embedder]) -> Response[rep.Users]:
    users, query, viewer = embed.services.users, embed.query, embed.viewer
    wanted, text, limit = query.ids("users"), query.text, query.limit()
    if wanted is not None:
        found = await users.get_many(viewer, wanted, USER_MASK)
        return json(embed.collection(rep.Users, embed.users(found), None))
    page = await users.search(viewer, text, USER_MASK, query.cursor, limit)
    return json(embed.collection(rep.Users, embed.users(page.items), page.next_cursor))


@get("/users/{user_urn:str}", opt=CATALOG)
async def get_user(embed: NamedDependency[Embedder], user_urn: FromPath[str]) -> Response[rep.User]:
    found = await embed.services.users.get(embed.viewer, ids.parse(user_urn, "users"), USER_MASK)
    return json(mappers.user(found, embed.links))


def _user_route(path: str, which: str, kind: str) -> Any:
    async def handler(embed: NamedDependency[Embedder], user_urn: FromPath[str]) -> Response[Any]:
        user_id = ids.parse(user_urn, "users")
        return json(await list_of(embed, user_id, which, kind, DEFAULT_ACCESS))

    handler.__name__ = f"user_{kind}_{which}"
    handler.__annotations__["return"] = LIST_ANSWERS[kind]
    return get(
        f"/users/{{user_urn:str}}{path}",
        opt=CATALOG,
        name=handler.__name__,
        operation_class=described(parameters=q.list_of(which, kind, DEFAULT_ACCESS)),
    )(handler)


@get(
    "/users/{user_urn:str}/web-profiles",
    opt=CATALOG,
    operation_class=described(parameters=(q.LIMIT,)),
)
async def web_profiles(
    embed: NamedDependency[Embedder], user_urn: FromPath[str]
) -> Response[list[rep.WebProfile]]:
    found = await embed.services.users.web_profiles(ids.parse(user_urn, "users"))
    limit = embed.query.limit(len(found)) or len(found)
    return json([mappers.web_profile(w) for w in found[:limit]])


ROUTES = [
    search_users,
    get_user,
    web_profiles,
    _user_route("/related", "related", "users"),
    _user_route("/followers", "followers", "users"),
    _user_route("/followings", "followings", "users"),
    _user_route("/tracks", "own", "tracks"),
    _user_route("/playlists", "own", "playlists"),
    _user_route("/likes/tracks", "likes", "tracks"),
    _user_route("/likes/playlists", "likes", "playlists"),
    _user_route("/reposts/tracks", "reposts", "tracks"),
    _user_route("/reposts/playlists", "reposts", "playlists"),
]
