"""Tracks: search, one track, streams, preview, comments, favoriters, reposters, related; upload,
update (JSON or form), delete, storefront, and posting comments."""

from __future__ import annotations

from functools import partial
from typing import Any

from litestar import Request, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath

from app.edge.kit.auth import signed_in_user
from app.edge.kit.errors import EdgeError
from app.edge.kit.openapi import described
from app.edge.kit.representation import Encoded
from app.edge.kit.routes import CATALOG, READ, UPLOAD, WRITE
from app.edge.public import mappers
from app.edge.public import representations as rep
from app.edge.public.dependencies import embedder_of
from app.edge.public.embedding import Embedder, keep_access
from app.edge.public.errors import as_unprocessable, unprocessable
from app.edge.public.mappers import TRACK_MASK
from app.edge.public.params import bodies, ids, schemas
from app.edge.public.params import query_schemas as q
from app.edge.public.params.query import DEFAULT_ACCESS
from app.edge.public.routes import json
from app.value_added.common.errors import InvalidArgument
from app.value_added.creator import TrackChanges, TrackDraft

NO_STORE = {"Cache-Control": "no-store"}


@get("/tracks", opt=CATALOG, operation_class=described(parameters=q.SEARCH_TRACKS))
async def search_tracks(embed: NamedDependency[Embedder]) -> Response[rep.TrackListing]:
    query = embed.query
    page = await embed.services.tracks.search(
        embed.viewer, query.track_query(), TRACK_MASK, query.cursor, query.limit()
    )
    return json(embed.listing(rep.Tracks, await embed.tracks(page.items), page.next_cursor))


@get("/tracks/{track_urn:str}", opt=CATALOG, operation_class=described(parameters=q.SECRET))
async def get_track(
    request: Request[Any, Any, Any], track_urn: FromPath[str]
) -> Response[rep.Track]:
    embed = embedder_of(request)  # (the hot read: no injected chain, kit/bff.authenticated)
    track_id = ids.parse(track_urn, "tracks")
    found = await embed.services.tracks.get(
        embed.viewer, track_id, TRACK_MASK, embed.query.secret_token
    )
    return Encoded(await embed.track(found))  # (encoded once, finished by the gateway)


@get("/tracks/{track_urn:str}/streams", opt=READ, operation_class=described(parameters=q.SECRET))
async def track_streams(
    embed: NamedDependency[Embedder], track_urn: FromPath[str]
) -> Response[rep.Streams]:
    grants = await embed.stream_grants(ids.parse(track_urn, "tracks"))
    return json(mappers.streams(embed.links, grants), headers=NO_STORE)


@get(
    "/tracks/{track_urn:str}/preview",
    opt=READ,
    status_code=302,
    operation_class=described(parameters=q.SECRET),
    description="Redirects (302, `Location`) to the signed URL of the track's 30-second preview.",
)
async def track_preview(
    embed: NamedDependency[Embedder], track_urn: FromPath[str]
) -> Response[rep.Found]:
    grants = await embed.stream_grants(ids.parse(track_urn, "tracks"))
    location = mappers.preview_url(embed.links, grants)
    return json(mappers.found(location), status=302, headers={"Location": location, **NO_STORE})


@get(
    "/tracks/{track_urn:str}/comments",
    opt=CATALOG,
    operation_class=described(parameters=(*q.PAGE, *q.SECRET)),
)
async def track_comments(
    embed: NamedDependency[Embedder], track_urn: FromPath[str]
) -> Response[rep.Comments]:
    query = embed.query
    page = await embed.services.tracks.comments(
        embed.viewer,
        ids.parse(track_urn, "tracks"),
        query.cursor,
        query.limit(),
        query.secret_token,
    )
    comments = await embed.comments(page.items)
    return json(embed.collection(rep.Comments, comments, page.next_cursor))


@get(
    "/tracks/{track_urn:str}/favoriters", opt=CATALOG, operation_class=described(parameters=q.PAGE)
)
async def track_favoriters(
    embed: NamedDependency[Embedder], track_urn: FromPath[str]
) -> Response[rep.Users]:
    ident = ids.parse(track_urn, "tracks")
    return json(await embed.people(partial(embed.services.tracks.likers, embed.viewer, ident)))


@get("/tracks/{track_urn:str}/reposters", opt=CATALOG, operation_class=described(parameters=q.PAGE))
async def track_reposters(
    embed: NamedDependency[Embedder], track_urn: FromPath[str]
) -> Response[rep.Users]:
    ident = ids.parse(track_urn, "tracks")
    return json(await embed.people(partial(embed.services.tracks.reposters, embed.viewer, ident)))


@get(
    "/tracks/{track_urn:str}/related",
    opt=CATALOG,
    operation_class=described(parameters=q.track_listing(DEFAULT_ACCESS)),
)
async def related_tracks(
    embed: NamedDependency[Embedder], track_urn: FromPath[str]
) -> Response[rep.TrackListing]:
    query = embed.query
    page = await embed.services.tracks.related(
        embed.viewer, ids.parse(track_urn, "tracks"), TRACK_MASK, query.cursor, query.limit()
    )
    items = keep_access(page.items, query.access())
    return json(embed.listing(rep.Tracks, await embed.tracks(items), page.next_cursor))


# The form is read as it arrives (kit.streamed_form): the fields before the file, each bounded
# small (413 `field_too_large` naming it), then the file's bytes straight into the media
# pipeline, which bounds it by MAX_UPLOAD_BYTES; a failure anywhere stores nothing.
@post("/tracks", opt=UPLOAD, operation_class=described(body=schemas.UPLOAD))
async def upload_track(
    request: Request[Any, Any, Any],
    embed: NamedDependency[Embedder],
) -> Response[rep.Track]:
    owner = signed_in_user(embed.viewer)
    async with bodies.upload(request, "track", "asset_data") as sent:
        values = bodies.track_values(sent.values)
        if "title" not in values:
            raise InvalidArgument("track[title] is required", field="track[title]")
        draft = bodies.convert(values, TrackDraft)
        asset = sent.file
        if asset is None:
            raise EdgeError(422, "asset_required", "track[asset_data] must be an audio file part")
        async with as_unprocessable():
            created = await embed.services.creator.upload_track(
                embed.viewer,
                owner,
                draft,
                asset.chunks(),
                asset.filename or "upload",
                asset.content_type,
            )
    track = await embed.services.tracks.get(embed.viewer, created.id, TRACK_MASK)
    return json(await embed.track(track), status=201)


@put("/tracks/{track_urn:str}", opt=WRITE, operation_class=described(body=schemas.TRACK_CHANGES))
async def update_track(
    request: Request[Any, Any, Any], embed: NamedDependency[Embedder], track_urn: FromPath[str]
) -> Response[rep.Track]:
    track_id = ids.parse(track_urn, "tracks")
    raw = await bodies.fields(request, "track")
    changes = bodies.convert(bodies.track_values(raw), TrackChanges)
    await embed.services.creator.update_track(embed.viewer, track_id, changes)
    track = await embed.services.tracks.get(embed.viewer, track_id, TRACK_MASK)
    return json(await embed.track(track))


@delete("/tracks/{track_urn:str}", opt=WRITE, status_code=200)
async def delete_track(
    embed: NamedDependency[Embedder], track_urn: FromPath[str]
) -> Response[rep.Status]:
    await embed.services.creator.delete_track(embed.viewer, ids.parse(track_urn, "tracks"))
    return json(rep.OK)


@put(
    "/tracks/{track_urn:str}/storefront",
    opt=WRITE,
    operation_class=described(body=schemas.STOREFRONT),
)
async def put_storefront(
    request: Request[Any, Any, Any], embed: NamedDependency[Embedder], track_urn: FromPath[str]
) -> Response[rep.Storefront]:
    """The storefront button maps onto the track's purchase link and title."""
    track_id = ids.parse(track_urn, "tracks")
    store = bodies.storefront(await bodies.fields(request, "storefront"))
    changes = TrackChanges(purchase_url=store["link"], purchase_title=store["link_title"] or "")
    await embed.services.creator.update_track(embed.viewer, track_id, changes)
    return json(rep.Storefront(track_urn=ids.urn("tracks", track_id), **store, image_url=None))


@post(
    "/tracks/{track_urn:str}/comments",
    opt=WRITE,
    operation_class=described(body=schemas.NEW_COMMENT, parameters=q.SECRET),
)
async def post_comment(
    request: Request[Any, Any, Any], embed: NamedDependency[Embedder], track_urn: FromPath[str]
) -> Response[rep.Comment]:
    track_id = ids.parse(track_urn, "tracks")
    async with unprocessable():
        raw = await bodies.fields(request, "comment")
        body = bodies.text(raw, "body")
        if body is None:
            raise InvalidArgument("comment[body] is required", field="body")
        created = await embed.services.tracks.comment(
            embed.viewer,
            track_id,
            body,
            bodies.timestamp(raw.get("timestamp")),
            embed.query.secret_token,
        )
    return json((await embed.comments([created]))[0], status=201)


ROUTES = [
    search_tracks,
    get_track,
    track_streams,
    track_preview,
    track_comments,
    track_favoriters,
    track_reposters,
    related_tracks,
    upload_track,
    update_track,
    delete_track,
    put_storefront,
    post_comment,
]
