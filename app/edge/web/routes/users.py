"""Users: profile, comments, followers, followings, related artists, tracks, playlists, links;
conversations, messages and emails are not part of Soundstack (501)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.di import NamedDependency

from app.edge.kit.auth import signed_in_user
from app.edge.kit.bounds import PageLimit
from app.edge.kit.context import EdgeContext
from app.edge.kit.routes import CATALOG, USER_READ
from app.edge.web.embedding import ListQuery, render_context
from app.edge.web.errors import NOT_IMPLEMENTED, not_implemented
from app.edge.web.mappers import collection
from app.edge.web.mappers.playlists import comment
from app.edge.web.mappers.shapes import Render
from app.edge.web.mappers.tracks import TRACK
from app.edge.web.mappers.users import ME, USER, web_profile
from app.edge.web.params import MeFields, Offset, UserFields, UserRef, entity_id, page_cursor
from app.edge.web.representations.pages import (
    BasicAlbumPlaylistCollection,
    BasicTrackCollection,
    CommentCollection,
    UserCollection,
)
from app.edge.web.representations.users import Me, User, WebProfile
from app.value_added.access import Viewer
from app.value_added.common.cursor import Page as VasPage
from app.value_added.common.cursor import clamp_limit
from app.value_added.common.fieldmask import FieldMask
from app.value_added.tracks import Track


@get("/me", opt=USER_READ)
async def me(
    request: Request[Any, Any, Any],
    edge: NamedDependency[EdgeContext],
    viewer: NamedDependency[Viewer],
    fields: MeFields = None,
) -> Me:
    selection = ME.select(fields)
    found = await edge.services.users.get(viewer, signed_in_user(viewer), selection.mask)
    return ME.render(found, selection, Render(request=request))


@get("/users/{user_id:str}", opt=CATALOG)
async def user(
    request: Request[Any, Any, Any],
    edge: NamedDependency[EdgeContext],
    viewer: NamedDependency[Viewer],
    user_id: UserRef,
    fields: UserFields = None,
) -> User:
    selection = USER.select(fields)
    found = await edge.services.users.get(viewer, entity_id(user_id, "users"), selection.mask)
    return USER.render(found, selection, Render(request=request))


@get(["/users/{user_id:str}/followers", "/users/{user_id:str}/followings"], opt=CATALOG)
async def follows(
    request: Request[Any, Any, Any], user_id: UserRef, user_list: NamedDependency[ListQuery]
) -> UserCollection:
    users = user_list.edge.services.users
    of = users.followers if request.url.path.endswith("/followers") else users.followings
    return await user_list.users(
        lambda mask, cursor, limit: of(
            user_list.viewer, entity_id(user_id, "users"), mask, cursor, limit
        )
    )


@get("/users/{user_id:str}/relatedartists", opt=CATALOG)
async def related_artists(
    user_id: UserRef, user_list: NamedDependency[ListQuery]
) -> UserCollection:
    return await user_list.users(
        lambda mask, cursor, limit: user_list.edge.services.users.related(
            user_list.viewer, entity_id(user_id, "users"), mask, cursor, limit
        )
    )


@get("/users/{user_id:str}/comments", opt=CATALOG)
async def user_comments(
    request: Request[Any, Any, Any],
    edge: NamedDependency[EdgeContext],
    viewer: NamedDependency[Viewer],
    user_id: UserRef,
    offset: Offset = None,
    limit: PageLimit = None,
) -> CommentCollection:
    page = await edge.services.tracks.comments_by_user(
        viewer, entity_id(user_id, "users"), page_cursor(offset), limit
    )
    track_ids = list(dict.fromkeys(c.track_id for c in page.items))
    found = await edge.services.tracks.get_many(viewer, track_ids, TRACK.all().mask)
    tracks = {t.id: t for t in found}
    owners = [c.user_id for c in page.items] + [t.user_id for t in found]
    ctx = await render_context(edge, viewer, request, owners)
    items = [comment(c, ctx, tracks[c.track_id]) for c in page.items if c.track_id in tracks]
    return collection(request, CommentCollection, items, page.next_cursor)


@get("/users/{user_id:str}/tracks", opt=CATALOG)
async def user_tracks(
    user_id: UserRef, track_list: NamedDependency[ListQuery]
) -> BasicTrackCollection:
    return await track_list.tracks(
        lambda mask, cursor, limit: track_list.edge.services.tracks.by_user(
            track_list.viewer, entity_id(user_id, "users"), mask, cursor, limit
        )
    )


@get("/users/{user_id:str}/toptracks", opt=CATALOG)
async def user_top_tracks(
    user_id: UserRef, track_list: NamedDependency[ListQuery]
) -> BasicTrackCollection:
    """The user's tracks by all-time plays, most played first (one page of `limit`)."""

    async def top(mask: FieldMask, _cursor: str | None, limit: int | None) -> VasPage[Track]:
        tracks = track_list.edge.services.tracks
        found = await tracks.most_played_of(
            track_list.viewer, entity_id(user_id, "users"), mask, clamp_limit(limit)
        )
        return VasPage(items=found)

    return await track_list.tracks(top)


@get(
    [
        "/users/{user_id:str}/albums",
        "/users/{user_id:str}/playlists_without_albums",
        "/users/{user_id:str}/playlists",
    ],
    opt=CATALOG,
)
async def user_playlists(
    request: Request[Any, Any, Any], user_id: UserRef, playlist_list: NamedDependency[ListQuery]
) -> BasicAlbumPlaylistCollection:
    set_type = "album" if request.url.path.endswith("/albums") else "playlist"
    return await playlist_list.playlists(
        lambda mask, cursor, limit: playlist_list.edge.services.playlists.by_user(
            playlist_list.viewer, entity_id(user_id, "users"), mask, cursor, limit, set_type
        )
    )


@get("/users/{user_urn:str}/web-profiles", opt=CATALOG)
async def web_profiles(edge: NamedDependency[EdgeContext], user_urn: UserRef) -> list[WebProfile]:
    found = await edge.services.users.web_profiles(entity_id(user_urn, "users"))
    return [web_profile(p) for p in found]


@get(
    [
        "/users/{user_id:str}/conversations",
        "/users/{user_id:str}/conversations/unread",
        "/users/{user_id:str}/conversations/{conversation_id:str}/messages",
    ],
    opt=USER_READ,
    status_code=501,
    response_description=NOT_IMPLEMENTED,
)
async def conversations(user_id: UserRef) -> None:
    raise not_implemented("conversations and messages")


@get(
    "/users/{user_id:str}/emails",
    opt=USER_READ,
    status_code=501,
    response_description=NOT_IMPLEMENTED,
)
async def emails(user_id: UserRef) -> None:
    raise not_implemented("email addresses")


ROUTES = [
    me,
    user,
    follows,
    related_artists,
    user_comments,
    user_tracks,
    user_top_tracks,
    user_playlists,
    web_profiles,
    conversations,
    emails,
]
