"""Tracks: reads, the consumer commands (like, repost, comment, play, download) and the
creator's own commands (create from metadata, edit, delete)."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, JSONBody

from app.edge.kit import links
from app.edge.kit.auth import signed_in_user
from app.edge.kit.bounds import PageLimit, PathId
from app.edge.kit.openapi import link, linked
from app.edge.kit.representation import Encoded
from app.edge.kit.routes import APP_WRITE, CATALOG, READ, WRITE
from app.edge.mobile import mappers
from app.edge.mobile import representations as rep
from app.edge.mobile.dependencies import embedder_of
from app.edge.mobile.embedding import Embedder
from app.edge.mobile.params import NewComment, NewTrack, TrackFields, TrackPatch, track_mask
from app.value_added.media.urls import download_path

TRACK = "/tracks/{track_id:int}"
COMMENT = "/comments/{comment_id:int}"
_ID = {"track_id": "$response.body#/id"}
TRACK_LINKS = linked(
    {
        "GetTrack": link(TRACK, "get", **_ID),
        "UpdateTrack": link(TRACK, "patch", **_ID),
        "DeleteTrack": link(TRACK, "delete", **_ID),
        "Comments": link(f"{TRACK}/comments", "get", **_ID),
        "PostComment": link(f"{TRACK}/comments", "post", **_ID),
        "LikeTrack": link(f"{TRACK}/like", "post", **_ID),
        "UnlikeTrack": link(f"{TRACK}/like", "delete", **_ID),
        "RepostTrack": link(f"{TRACK}/repost", "post", **_ID),
        "UnrepostTrack": link(f"{TRACK}/repost", "delete", **_ID),
        "RecordPlay": link(f"{TRACK}/plays", "post", **_ID),
        "Download": link(f"{TRACK}/download", "post", **_ID),
    }
)
"""Where an answer holding a track leads: its own operations, by its id."""
COMMENT_LINKS = linked({"DeleteComment": link(COMMENT, "delete", comment_id="$response.body#/id")})


@get(
    TRACK,
    opt=CATALOG,
    operation_class=TRACK_LINKS,
    summary="A track with its owner, stats, access and media",
)
async def get_track(
    request: Request[Any, Any, Any],
    track_id: PathId,
    fields: TrackFields = None,
    secret_token: FromQuery[str | None] = None,
) -> Response[rep.TrackRep]:
    embed = embedder_of(request)  # (the hot read: no injected chain, kit/bff.authenticated)
    mask = track_mask(fields)
    found = await embed.services.tracks.get(embed.viewer, track_id, mask.vas, secret_token)
    # (encoded once, finished by the gateway)
    return Encoded(await embed.track(found, mask.wants("user"), secret_token))


@get(f"{TRACK}/comments", opt=CATALOG, summary="Timed comments, each with its commenter")
async def track_comments(
    track_id: PathId,
    embed: NamedDependency[Embedder],
    limit: PageLimit = None,
    cursor: FromQuery[str | None] = None,
    secret_token: FromQuery[str | None] = None,
) -> rep.CommentCollection:
    page = await embed.services.tracks.comments(embed.viewer, track_id, cursor, limit, secret_token)
    return rep.CommentCollection(
        collection=await embed.comments(page.items), next_href=embed.next_href(page)
    )


@post(f"{TRACK}/comments", opt=WRITE, operation_class=COMMENT_LINKS, summary="Post a timed comment")
async def post_comment(
    track_id: PathId,
    data: JSONBody[NewComment],
    request: Request[Any, Any, Any],
    secret_token: FromQuery[str | None] = None,
) -> Response[rep.CommentRep]:
    embed = embedder_of(request)
    c = await embed.services.tracks.comment(
        embed.viewer, track_id, data.body, data.timestamp_ms, secret_token
    )
    return Encoded((await embed.comments([c]))[0], 201)


@delete(
    COMMENT,
    opt=WRITE,
    summary="Delete a comment (its author or the track owner)",
)
async def delete_comment(comment_id: PathId, embed: NamedDependency[Embedder]) -> None:
    await embed.services.tracks.delete_comment(embed.viewer, comment_id)


@post(f"{TRACK}/like", opt=WRITE, status_code=200, summary="Like a track (idempotent)")
async def like_track(
    request: Request[Any, Any, Any],
    track_id: PathId,
    secret_token: FromQuery[str | None] = None,
) -> Response[rep.LikeState]:
    embed = embedder_of(request)
    return Encoded(
        mappers.like_state(await embed.services.tracks.like(embed.viewer, track_id, secret_token))
    )


@delete(f"{TRACK}/like", opt=WRITE, status_code=200, summary="Unlike a track (idempotent)")
async def unlike_track(
    track_id: PathId, request: Request[Any, Any, Any]
) -> Response[rep.LikeState]:
    embed = embedder_of(request)
    return Encoded(mappers.like_state(await embed.services.tracks.unlike(embed.viewer, track_id)))


@post(f"{TRACK}/repost", opt=WRITE, status_code=200, summary="Repost a track (idempotent)")
async def repost_track(
    track_id: PathId,
    request: Request[Any, Any, Any],
    secret_token: FromQuery[str | None] = None,
) -> Response[rep.RepostState]:
    embed = embedder_of(request)
    return Encoded(
        mappers.repost_state(
            await embed.services.tracks.repost(embed.viewer, track_id, secret_token)
        )
    )


@delete(f"{TRACK}/repost", opt=WRITE, status_code=200, summary="Undo a repost (idempotent)")
async def unrepost_track(
    track_id: PathId, request: Request[Any, Any, Any]
) -> Response[rep.RepostState]:
    embed = embedder_of(request)
    return Encoded(
        mappers.repost_state(await embed.services.tracks.unrepost(embed.viewer, track_id))
    )


@post(f"{TRACK}/plays", opt=APP_WRITE, status_code=200, summary="Count one play of a track")
async def record_play(
    track_id: PathId,
    embed: NamedDependency[Embedder],
    secret_token: FromQuery[str | None] = None,
) -> rep.PlayCount:
    plays = await embed.services.tracks.record_play(embed.viewer, track_id, secret_token)
    return rep.PlayCount(plays_count=plays)


@post(
    f"{TRACK}/download",
    opt=READ,
    status_code=200,
    summary="A short-lived signed download grant",
)
async def download_track(
    track_id: PathId,
    embed: NamedDependency[Embedder],
    secret_token: FromQuery[str | None] = None,
) -> rep.DownloadGrantRep:
    g = await embed.services.tracks.download(embed.viewer, track_id, secret_token)
    url = links.absolute(embed.request, download_path(g.token))
    return rep.DownloadGrantRep(
        track_id=g.track_id, token=g.token, expires_at=g.expires_at, url=url
    )


@post(
    "/tracks",
    opt=WRITE,
    operation_class=TRACK_LINKS,
    summary="Create a track from its metadata (audio is uploaded separately)",
)
async def create_track(
    data: JSONBody[NewTrack],
    embed: NamedDependency[Embedder],
) -> rep.OwnTrackRep:
    owner = signed_in_user(embed.viewer)
    created = await embed.services.creator.create_track(embed.viewer, owner, data)
    return mappers.own_track(created, embed.artwork)


@patch(
    TRACK,
    opt=WRITE,
    operation_class=TRACK_LINKS,
    summary="Change a track's metadata or policy (only the fields sent)",
)
async def update_track(
    track_id: PathId, data: JSONBody[TrackPatch], embed: NamedDependency[Embedder]
) -> rep.OwnTrackRep:
    updated = await embed.services.creator.update_track(embed.viewer, track_id, data)
    return mappers.own_track(updated, embed.artwork)


@delete(TRACK, opt=WRITE, summary="Delete a track and everything hanging off it")
async def delete_track(track_id: PathId, embed: NamedDependency[Embedder]) -> None:
    await embed.services.creator.delete_track(embed.viewer, track_id)


ROUTES = [
    get_track,
    track_comments,
    post_comment,
    delete_comment,
    like_track,
    unlike_track,
    repost_track,
    unrepost_track,
    record_play,
    download_track,
    create_track,
    update_track,
    delete_track,
]
