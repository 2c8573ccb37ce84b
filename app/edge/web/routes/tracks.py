"""Tracks: one, many, their playlists, comments, likers, reposters, related, download, streams."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter

from app.edge.kit.bounds import PageLimit
from app.edge.kit.context import EdgeContext
from app.edge.kit.errors import EdgeError
from app.edge.kit.routes import CATALOG, READ
from app.edge.web.embedding import ListQuery, render_context, tracks_page
from app.edge.web.mappers import collection
from app.edge.web.mappers.playlists import comment
from app.edge.web.mappers.tracks import RENDITION, TRACK
from app.edge.web.params import (
    CommentRef,
    Ids,
    Offset,
    TrackFields,
    TrackRef,
    entity_id,
    ids_list,
    page_cursor,
)
from app.edge.web.representations.pages import (
    BasicAlbumPlaylistCollection,
    BasicTrackCollection,
    CommentCollection,
    TrackCollection,
    UserCollection,
)
from app.edge.web.representations.tracks import BasicTrack, Comment, DownloadLink, StreamLink
from app.value_added.access import Viewer
from app.value_added.common.fieldmask import FieldMask
from app.value_added.tracks import TrackQuery


@get("/tracks/{track_id:str}", opt=CATALOG)
async def track(
    request: Request[Any, Any, Any],
    edge: NamedDependency[EdgeContext],
    viewer: NamedDependency[Viewer],
    track_id: TrackRef,
    secret_token: FromQuery[str | None] = None,
    fields: TrackFields = None,
) -> BasicTrack:
    ident = entity_id(track_id, "tracks")
    selection = TRACK.select(fields)
    found = await edge.services.tracks.get(viewer, ident, selection.mask, secret_token)
    tokens = {ident: secret_token} if secret_token else None
    rendered = await tracks_page(
        edge, viewer, request, [found], selection, TRACK, secret_tokens=tokens
    )
    return rendered[0]


@get("/tracks", opt=CATALOG)
async def tracks_by_ids(
    request: Request[Any, Any, Any],
    edge: NamedDependency[EdgeContext],
    viewer: NamedDependency[Viewer],
    ids: Ids = None,
    fields: TrackFields = None,
    playlist_id: Annotated[int | None, QueryParameter(name="playlistId")] = None,
    playlist_token: Annotated[str | None, QueryParameter(name="playlistSecretToken")] = None,
) -> list[BasicTrack]:
    """Tracks in request order; invisible ones are left out (api-v2 does the same)."""
    wanted = ids_list(ids)
    selection = TRACK.select(fields)
    if playlist_id is not None:
        mask = FieldMask(f"tracks.{p}" for p in selection.mask.paths)
        playlist = await edge.services.playlists.get(viewer, playlist_id, mask, playlist_token)
        by_id = {t.id: t for t in playlist.tracks or ()}
        found = [by_id[i] for i in wanted if i in by_id]
    else:
        found = await edge.services.tracks.get_many(viewer, wanted, selection.mask)
    return await tracks_page(edge, viewer, request, found, selection, TRACK)


async def _containing(
    listing: ListQuery, track_id: str, set_type: str
) -> BasicAlbumPlaylistCollection:
    return await listing.playlists(
        lambda mask, cursor, limit: listing.edge.services.playlists.containing_track(
            listing.viewer, entity_id(track_id, "tracks"), mask, cursor, limit, set_type
        )
    )


@get("/tracks/{track_id:str}/albums", opt=CATALOG)
async def track_albums(
    track_id: TrackRef, playlist_list: NamedDependency[ListQuery]
) -> BasicAlbumPlaylistCollection:
    return await _containing(playlist_list, track_id, "album")


@get(
    ["/tracks/{track_id:str}/playlists_without_albums", "/tracks/{track_id:str}/playlists"],
    opt=CATALOG,
)
async def track_playlists(
    track_id: TrackRef, playlist_list: NamedDependency[ListQuery]
) -> BasicAlbumPlaylistCollection:
    return await _containing(playlist_list, track_id, "playlist")


@get("/tracks/{track_id:str}/comments", opt=CATALOG)
async def track_comments(
    request: Request[Any, Any, Any],
    edge: NamedDependency[EdgeContext],
    viewer: NamedDependency[Viewer],
    track_id: TrackRef,
    offset: Offset = None,
    limit: PageLimit = None,
    secret_token: FromQuery[str | None] = None,
) -> CommentCollection:
    page = await edge.services.tracks.comments(
        viewer, entity_id(track_id, "tracks"), page_cursor(offset), limit, secret_token
    )
    ctx = await render_context(edge, viewer, request, [c.user_id for c in page.items])
    items = [comment(c, ctx) for c in page.items]
    return collection(request, CommentCollection, items, page.next_cursor)


@get("/comments/{comment_id:str}", opt=CATALOG)
async def one_comment(
    request: Request[Any, Any, Any],
    edge: NamedDependency[EdgeContext],
    viewer: NamedDependency[Viewer],
    comment_id: CommentRef,
    secret_token: FromQuery[str | None] = None,
) -> Comment:
    """One comment (`123` or `soundcloud:comments:123`), hidden with its track."""
    found = await edge.services.tracks.get_comment(
        viewer, entity_id(comment_id, "comments"), secret_token
    )
    ctx = await render_context(edge, viewer, request, [found.user_id])
    return comment(found, ctx)


@get("/tracks/{track_id:str}/likers", opt=CATALOG)
async def track_likers(track_id: TrackRef, user_list: NamedDependency[ListQuery]) -> UserCollection:
    ident = entity_id(track_id, "tracks")
    return await user_list.people(
        partial(user_list.edge.services.tracks.likers, user_list.viewer, ident)
    )


@get("/tracks/{track_id:str}/reposters", opt=CATALOG)
async def track_reposters(
    track_id: TrackRef, user_list: NamedDependency[ListQuery]
) -> UserCollection:
    ident = entity_id(track_id, "tracks")
    tracks = user_list.edge.services.tracks
    return await user_list.people(partial(tracks.reposters, user_list.viewer, ident))


@get("/tracks/{track_id:str}/related", opt=CATALOG)
async def track_related(
    track_id: TrackRef, track_list: NamedDependency[ListQuery]
) -> BasicTrackCollection:
    return await track_list.tracks(
        lambda mask, cursor, limit: track_list.edge.services.tracks.related(
            track_list.viewer, entity_id(track_id, "tracks"), mask, cursor, limit
        )
    )


@get("/recent-tracks/{tag:str}", opt=CATALOG)
async def tag_tracks(tag: FromPath[str], track_list: NamedDependency[ListQuery]) -> TrackCollection:
    search = partial(
        track_list.edge.services.tracks.search, track_list.viewer, TrackQuery(tags=(tag,))
    )
    return await track_list.full_tracks(search)


@get("/tracks/{track_id:str}/download", opt=READ)
async def original_download(
    request: Request[Any, Any, Any],
    edge: NamedDependency[EdgeContext],
    viewer: NamedDependency[Viewer],
    track_id: TrackRef,
    secret_token: FromQuery[str | None] = None,
) -> DownloadLink:
    grant = await edge.services.tracks.download(viewer, entity_id(track_id, "tracks"), secret_token)
    ctx = await render_context(edge, viewer, request, [])
    return DownloadLink(redirect_uri=ctx.site(f"/media/downloads/{grant.token}"))


@get("/media/{track_urn:str}/{kind:str}/{stage:str}/{protocol:str}", opt=READ)
async def stream_url(
    request: Request[Any, Any, Any],
    edge: NamedDependency[EdgeContext],
    viewer: NamedDependency[Viewer],
    track_urn: TrackRef,
    kind: FromPath[str],
    stage: FromPath[str],
    protocol: FromPath[str],
    secret_token: FromQuery[str | None] = None,
) -> StreamLink:
    """A transcoding's `url` (`…/{rendition}/stream|preview/{protocol}`): answers `{"url": …}`,
    the signed media URL the VAS grants this viewer."""
    ident = entity_id(track_urn, "tracks")
    if stage not in ("stream", "preview"):
        raise EdgeError(404, "not_found", f"no such media path {stage!r}")
    grants = await edge.services.tracks.streams(viewer, ident, secret_token=secret_token)
    wanted = RENDITION.get(kind)
    matching = [g for g in grants if g.kind == protocol]
    exact = [
        g
        for g in matching
        if wanted is not None and (g.format, g.preview) == (wanted.format, wanted.preview)
    ]
    if not (exact or matching):
        raise EdgeError(404, "not_found", f"no {protocol} stream for {kind}")
    chosen = (exact or matching)[0]
    ctx = await render_context(edge, viewer, request, [])
    return StreamLink(url=ctx.site(chosen.url))


ROUTES = [
    track,
    tracks_by_ids,
    track_albums,
    track_playlists,
    track_comments,
    one_comment,
    track_likers,
    track_reposters,
    track_related,
    tag_tracks,
    original_download,
    stream_url,
]
