"""Media delivery routes. No app auth (`auth: none`): a signed URL is the authorization, its
claims re-checked by the Tracks VAS on every request; artwork URLs are public and stable."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, route
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Stream

from app.edge.kit.context import EdgeContext
from app.edge.kit.routes import OPEN
from app.edge.media import responses

METHODS: list[Any] = ["GET", "HEAD"]


def _redirect(location: str) -> Redirect:
    """To the object store's presigned URL (itself shorter-lived than ours: never cached)."""
    return Redirect(location, status_code=302, headers={"Cache-Control": "private, no-store"})


@route("/streams/{token:str}/{name:str}", http_method=METHODS, opt=OPEN)
async def stream(
    request: Request[Any, Any, Any],
    edge: NamedDependency[EdgeContext],
    token: FromPath[str],
    name: FromPath[str],
) -> Response[Any]:
    """A signed progressive stream, HLS playlist or segment, preview or waveform."""
    media = edge.services.media
    signed = await edge.services.tracks.authorize_media(token)
    if signed.ext == "m3u8":  # segment URLs are signed as the playlist is served
        obj = await media.signed_object(signed)
        body = await media.playlist(signed)
        return responses.serve(request, media, obj, "private, no-cache", body=body)
    location = await media.redirect_url(signed.key, signed.mime_type, signed.expires_at)
    if location is not None:
        return _redirect(location)
    now = edge.services.deps.clock()
    cache = responses.signed_cache_control(signed.expires_at, now)
    return responses.serve(request, media, await media.signed_object(signed), cache)


@route("/downloads/{token:str}", http_method=METHODS, opt=OPEN)
async def download(
    request: Request[Any, Any, Any], edge: NamedDependency[EdgeContext], token: FromPath[str]
) -> Response[Any]:
    """The original file of a download grant; the grant's first GET counts the download."""
    services = edge.services
    tracks = services.tracks
    use = tracks.redeem_download if request.method == "GET" else tracks.authorize_download
    grant = await use(token)
    target = await services.media.download_target(grant.claims.track_id)
    disposition = responses.content_disposition(target.filename)
    location = await services.media.redirect_url(
        target.key, target.mime_type, grant.expires_at, disposition
    )
    if location is not None:
        return _redirect(location)
    obj = await services.media.stored(target.key, target.mime_type)
    extra = {"Content-Disposition": disposition}
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


@route("/avatars/default/{size:str}", http_method=METHODS, opt=OPEN)
async def default_avatar(
    edge: NamedDependency[EdgeContext], size: FromPath[str]
) -> Response[bytes]:
    """`/media/avatars/default/{large|t500x500|…}.jpg`: the avatar of users who set none."""
    image = edge.services.media.default_avatar(size.removesuffix(".jpg"))
    headers = {"Cache-Control": responses.IMMUTABLE}
    return Response(image, media_type="image/jpeg", headers=headers)


ROUTES = [stream, download, artwork, artwork_default, default_avatar]
