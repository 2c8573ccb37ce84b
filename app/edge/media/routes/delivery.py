"""Media delivery routes. No app auth (`auth: none`): the URL's signature IS the authorization,
and artwork URLs are public and stable."""

from __future__ import annotations

from typing import Any

from litestar import Request, route
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Stream

from app.edge.kit.context import EdgeContext
from app.edge.kit.routes import OPEN
from app.edge.media import responses
from app.value_added.access import Viewer

METHODS: list[Any] = ["GET", "HEAD"]


@route("/streams/{token:str}/{name:str}", http_method=METHODS, opt=OPEN)
async def stream(
    request: Request[Any, Any, Any],
    edge: NamedDependency[EdgeContext],
    token: FromPath[str],
    name: FromPath[str],
) -> Stream:
    """A signed progressive stream, HLS playlist or segment, preview or waveform."""
    media = edge.services.media
    signed = media.resolve(token)
    now = edge.services.deps.clock()
    cache = responses.signed_cache_control(signed.expires_at, now)
    obj = await media.signed_object(signed)
    if signed.ext == "m3u8":  # segment URLs are signed as the playlist is served
        body = await media.playlist(signed)
        return responses.serve(request, media, obj, "private, no-cache", body=body)
    return responses.serve(request, media, obj, cache)


@route("/downloads/{token:str}", http_method=METHODS, opt=OPEN)
async def download(
    request: Request[Any, Any, Any], edge: NamedDependency[EdgeContext], token: FromPath[str]
) -> Stream:
    """The original file of a download grant; a full GET (or one from byte 0) is counted."""
    services = edge.services
    target = await services.media.download_target(token)
    obj = target.object
    range_header = request.headers.get("range", "")
    starts_at_zero = not range_header or range_header.replace(" ", "").startswith("bytes=0-")
    if request.method == "GET" and starts_at_zero:
        await services.tracks.redeem_download(token, Viewer.anonymous())
    extra = {"Content-Disposition": responses.content_disposition(target.filename)}
    return responses.serve(request, services.media, obj, "private, no-store", extra)


@route("/artwork/{key:str}/{size:str}", http_method=METHODS, opt=OPEN)
async def artwork(
    request: Request[Any, Any, Any],
    edge: NamedDependency[EdgeContext],
    key: FromPath[str],
    size: FromPath[str],
) -> Stream:
    """`/media/artwork/{key}/{t500x500|large|small|…}.jpg`: immutable, cached for a year."""
    media = edge.services.media
    obj = await media.artwork_object(key, size.removesuffix(".jpg"))
    return responses.serve(request, media, obj, responses.IMMUTABLE)


@route("/artwork/{key:str}", http_method=METHODS, opt=OPEN)
async def artwork_default(
    request: Request[Any, Any, Any], edge: NamedDependency[EdgeContext], key: FromPath[str]
) -> Stream:
    media = edge.services.media
    obj = await media.artwork_object(key.removesuffix(".jpg"), "t500x500")
    return responses.serve(request, media, obj, responses.IMMUTABLE)


ROUTES = [stream, download, artwork, artwork_default]
