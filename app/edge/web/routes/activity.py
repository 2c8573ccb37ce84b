"""Activity listings: play history, the feed, a user's stream, reposts and likes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Request, get
from litestar.di import NamedDependency

from app.edge.kit.bounds import PageLimit
from app.edge.kit.context import EdgeContext
from app.edge.kit.routes import CATALOG, USER_READ
from app.edge.web.embedding import Rendered, Source, mixed, owners, render_context
from app.edge.web.mappers import collection
from app.edge.web.mappers.playlists import NO_TRACKS, PLAYLIST
from app.edge.web.mappers.shapes import Render, epoch_ms, iso, urn
from app.edge.web.mappers.tracks import TRACK
from app.edge.web.mappers.users import BASIC_USER
from app.edge.web.params import Offset, UserRef, entity_id, page_cursor
from app.edge.web.representations.pages import (
    Like,
    LikeCollection,
    PlayedTrack,
    PlayHistoryCollection,
    Reposted,
    StreamCollection,
    StreamItem,
)
from app.value_added.access import Viewer
from app.value_added.common.fieldmask import FieldMask
from app.value_added.playlists import Playlist
from app.value_added.tracks import Track


def _item(
    kind: str, actor: int, entity: Track | Playlist, ctx: Render, at: dt.datetime | None = None
) -> StreamItem:
    """A stream item: a post (`track`, `playlist`) or a repost (`track-repost` ...) by `actor`,
    dated by the post, or by the repost (`at`)."""
    user = ctx.users.get(actor)
    item = StreamItem(
        type=kind,
        created_at=iso(at if at is not None else entity.created_at),
        user=BASIC_USER.render(user, BASIC_USER.all(), ctx) if user else None,
        uuid=f"{kind}:{actor}:{entity.id}",
        caption=None,
    )
    if isinstance(entity, Track):
        item.track = TRACK.render(entity, TRACK.all(), ctx)
        target = urn("tracks", entity.id)
    else:
        item.playlist = PLAYLIST.render(entity, PLAYLIST.all(), ctx)
        target = urn("playlists", entity.id)
    if kind.endswith("-repost"):
        item.reposted = Reposted(target, urn("users", actor), None)
    return item


async def _tracks_source(
    request: Request[Any, Any, Any],
    edge: EdgeContext,
    viewer: Viewer,
    kind: str,
    actor: int | None,
    cursor: str | None,
    limit: int | None,
) -> Rendered:
    tracks = edge.services.tracks
    mask = TRACK.all().mask
    if kind == "track-repost" and actor is not None:
        page = await tracks.reposted_by(viewer, actor, mask, cursor, limit)
    elif actor is not None:
        page = await tracks.by_user(viewer, actor, mask, cursor, limit)
    else:
        page = await tracks.feed(viewer, mask, cursor, limit)
    ids = owners(page.items) + ([actor] if actor is not None else [])
    ctx = await render_context(edge, viewer, request, ids)
    items = [_item(kind, actor or t.user_id, t, ctx, page.at.get(t.id)) for t in page.items]
    return items, page.next_cursor


async def _playlists_source(
    request: Request[Any, Any, Any],
    edge: EdgeContext,
    viewer: Viewer,
    kind: str,
    actor: int,
    cursor: str | None,
    limit: int | None,
) -> Rendered:
    playlists = edge.services.playlists
    mask = PLAYLIST.all().mask
    if kind == "playlist-repost":
        page = await playlists.reposted_by(viewer, actor, mask, cursor, limit)
    else:
        page = await playlists.by_user(viewer, actor, mask, cursor, limit)
    ctx = await render_context(edge, viewer, request, [*owners(playlists=page.items), actor])
    return [_item(kind, actor, p, ctx, page.at.get(p.id)) for p in page.items], page.next_cursor


@get("/me/play-history/tracks", opt=USER_READ)
async def play_history(
    request: Request[Any, Any, Any],
    edge: NamedDependency[EdgeContext],
    viewer: NamedDependency[Viewer],
    offset: Offset = None,
    limit: PageLimit = None,
) -> PlayHistoryCollection:
    page = await edge.services.tracks.recently_played(
        viewer, TRACK.all().mask, page_cursor(offset), limit
    )
    ctx = await render_context(edge, viewer, request, owners(page.items))
    items = [
        PlayedTrack(epoch_ms(page.at.get(t.id)), t.id, TRACK.render(t, TRACK.all(), ctx))
        for t in page.items
    ]
    return collection(request, PlayHistoryCollection, items, page.next_cursor)


@get("/stream", opt=USER_READ)
async def my_stream(
    request: Request[Any, Any, Any],
    edge: NamedDependency[EdgeContext],
    viewer: NamedDependency[Viewer],
    offset: Offset = None,
    limit: PageLimit = None,
) -> StreamCollection:
    """The feed: newest tracks of the users the viewer follows."""
    rendered, cursor = await _tracks_source(
        request, edge, viewer, "track", None, page_cursor(offset), limit
    )
    return collection(request, StreamCollection, rendered, cursor)


@get(["/stream/users/{user_id:str}", "/stream/users/{user_id:str}/reposts"], opt=CATALOG)
async def user_stream(
    request: Request[Any, Any, Any],
    edge: NamedDependency[EdgeContext],
    viewer: NamedDependency[Viewer],
    user_id: UserRef,
    offset: Offset = None,
    limit: PageLimit = None,
) -> StreamCollection:
    """A user's posts and reposts (`/reposts`: reposts only)."""
    actor = entity_id(user_id, "users")
    await edge.services.users.get(viewer, actor, FieldMask(["id"]))

    def tracks(kind: str) -> Source:
        return lambda c, n: _tracks_source(request, edge, viewer, kind, actor, c, n)

    def playlists(kind: str) -> Source:
        return lambda c, n: _playlists_source(request, edge, viewer, kind, actor, c, n)

    sources = {"tr": tracks("track-repost"), "pr": playlists("playlist-repost")}
    if not request.url.path.endswith("/reposts"):
        sources = {"t": tracks("track"), "p": playlists("playlist"), **sources}
    return await mixed(request, StreamCollection, sources, offset, limit)


@get("/users/{user_id:str}/likes", opt=CATALOG)
async def user_likes(
    request: Request[Any, Any, Any],
    edge: NamedDependency[EdgeContext],
    viewer: NamedDependency[Viewer],
    user_id: UserRef,
    offset: Offset = None,
    limit: PageLimit = None,
) -> LikeCollection:
    """Liked tracks, then liked playlists, under one offset."""
    liker = entity_id(user_id, "users")

    async def tracks(cursor: str | None, n: int | None) -> Rendered:
        page = await edge.services.tracks.liked_by(viewer, liker, TRACK.all().mask, cursor, n)
        ctx = await render_context(edge, viewer, request, owners(page.items))
        return [
            Like(iso(page.at.get(t.id)), track=TRACK.render(t, TRACK.all(), ctx))
            for t in page.items
        ], page.next_cursor

    async def playlists(cursor: str | None, n: int | None) -> Rendered:
        page = await edge.services.playlists.liked_by(viewer, liker, NO_TRACKS.mask, cursor, n)
        ctx = await render_context(edge, viewer, request, owners(playlists=page.items))
        return [
            Like(iso(page.at.get(p.id)), playlist=PLAYLIST.render(p, NO_TRACKS, ctx))
            for p in page.items
        ], page.next_cursor

    return await mixed(request, LikeCollection, {"t": tracks, "p": playlists}, offset, limit)


ROUTES = [play_history, my_stream, user_stream, user_likes]
