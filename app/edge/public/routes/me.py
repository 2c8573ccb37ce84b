"""`/me/*`: the signed-in user's profile, feed, likes, reposts, followings and uploads;
following and unfollowing."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, delete, get, put
from litestar.di import NamedDependency
from litestar.params import FromPath

from app.edge.kit.auth import signed_in_user
from app.edge.kit.openapi import described
from app.edge.kit.representation import Encoded
from app.edge.kit.routes import USER_READ, WRITE
from app.edge.public import mappers
from app.edge.public import representations as rep
from app.edge.public.dependencies import embedder_of
from app.edge.public.embedding import Embedder, keep_access
from app.edge.public.errors import unprocessable
from app.edge.public.mappers import TRACK_MASK, USER_MASK
from app.edge.public.params import ids
from app.edge.public.params import query_schemas as q
from app.edge.public.params.query import ALL_ACCESS, DEFAULT_ACCESS
from app.edge.public.routes import json
from app.edge.public.routes.users import LIST_ANSWERS, list_of
from app.value_added.common.fieldmask import FieldMask

RECENTLY_PLAYED = 25
FEED = (*q.PAGE, q.access(DEFAULT_ACCESS))
"""The feed is a page of tracks, kept to the access levels asked for."""


@get("/me", opt=USER_READ)
async def get_me(embed: NamedDependency[Embedder]) -> Response[rep.Me]:
    user_id = signed_in_user(embed.viewer)
    found = await embed.services.users.get(embed.viewer, user_id, FieldMask.all())
    return json(mappers.me(found, embed.links))


async def _feed(embed: Embedder) -> tuple[list[rep.Track], str | None]:
    query = embed.query
    page = await embed.services.tracks.feed(embed.viewer, TRACK_MASK, query.cursor, query.limit())
    items = keep_access(page.items, query.access())
    return await embed.tracks(items), page.next_cursor


async def _activities(embed: Embedder) -> Response[rep.Activities]:
    tracks, cursor = await _feed(embed)
    activities = [mappers.activity(t) for t in tracks]
    return json(embed.collection(rep.Activities, activities, cursor))


@get("/me/feed", opt=USER_READ, operation_class=described(parameters=FEED))
async def my_feed(embed: NamedDependency[Embedder]) -> Response[rep.Activities]:
    return await _activities(embed)


@get("/me/feed/tracks", opt=USER_READ, operation_class=described(parameters=FEED))
async def my_feed_tracks(embed: NamedDependency[Embedder]) -> Response[rep.Activities]:
    return await _activities(embed)


@get("/me/followings/tracks", opt=USER_READ, operation_class=described(parameters=FEED))
async def my_followings_tracks(embed: NamedDependency[Embedder]) -> Response[list[rep.Track]]:
    tracks, _ = await _feed(embed)
    return json(tracks)


@get(
    "/me/recently-played/tracks",
    opt=USER_READ,
    operation_class=described(parameters=(q.access(ALL_ACCESS),)),
)
async def my_recently_played(embed: NamedDependency[Embedder]) -> Response[rep.Tracks]:
    tracks = embed.services.tracks
    page = await tracks.recently_played(embed.viewer, TRACK_MASK, None, RECENTLY_PLAYED)
    unique = list({t.id: t for t in reversed(page.items)}.values())[::-1]
    items = keep_access(unique, embed.query.access(ALL_ACCESS))
    return json(rep.Tracks(collection=await embed.tracks(items)))


def _me_route(path: str, which: str, kind: str) -> Any:
    async def handler(embed: NamedDependency[Embedder]) -> Response[Any]:
        user_id = signed_in_user(embed.viewer)
        return json(await list_of(embed, user_id, which, kind, ALL_ACCESS))

    handler.__name__ = f"me_{kind}_{which}"
    handler.__annotations__["return"] = LIST_ANSWERS[kind]
    return get(
        f"/me{path}",
        opt=USER_READ,
        name=handler.__name__,
        operation_class=described(parameters=q.list_of(which, kind, ALL_ACCESS)),
    )(handler)


@put("/me/followings/{user_urn:str}", opt=WRITE)
async def follow(request: Request[Any, Any, Any], user_urn: FromPath[str]) -> Response[rep.User]:
    embed = embedder_of(request)
    users, viewer = embed.services.users, embed.viewer
    user_id = ids.parse(user_urn, "users")
    async with unprocessable():
        await users.follow(viewer, user_id)
    followed = await users.get(viewer, user_id, USER_MASK)
    return Encoded(mappers.user(followed, embed.links))


@delete("/me/followings/{user_urn:str}", opt=WRITE, status_code=200)
async def unfollow(
    request: Request[Any, Any, Any], user_urn: FromPath[str]
) -> Response[rep.Status]:
    embed = embedder_of(request)
    async with unprocessable():
        await embed.services.users.unfollow(embed.viewer, ids.parse(user_urn, "users"))
    return Encoded(rep.OK)


ROUTES = [
    get_me,
    my_feed,
    my_feed_tracks,
    my_followings_tracks,
    my_recently_played,
    _me_route("/likes/tracks", "likes", "tracks"),
    _me_route("/likes/playlists", "likes", "playlists"),
    _me_route("/followings", "followings", "users"),
    _me_route("/followers", "followers", "users"),
    _me_route("/playlists", "own", "playlists"),
    _me_route("/tracks", "own", "tracks"),
    _me_route("/reposts/tracks", "reposts", "tracks"),
    _me_route("/reposts/playlists", "reposts", "playlists"),
    follow,
    unfollow,
]
