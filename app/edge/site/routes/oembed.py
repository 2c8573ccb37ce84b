"""oEmbed (`/oembed`) with SoundCloud's contract: a rich embed whose html is our player."""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import urlencode

import msgspec
from litestar import Request, Response, get
from litestar.params import FromQuery, QueryParameter

from app.edge.kit.routes import OPEN
from app.edge.site import views
from app.edge.site.routes import server_of, services_of, site_of
from app.value_added.common.errors import NotFound

PROVIDER = "Soundstack"
HEIGHT = {"track": 166, "playlist": 450}
_CALLBACK = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$.]{0,63}$")
_COLOR = re.compile(r"^#?[0-9A-Fa-f]{3}([0-9A-Fa-f]{3})?$")
MAX_URL = 2000


def _error(status: int, reason: str, message: str) -> Response[Any]:
    body = msgspec.json.encode({"code": status, "error": reason, "message": message})
    return Response(body, status_code=status, media_type="application/json")


def player_src(site: str, url: str, **options: str) -> str:
    """The widget's URL for a track or set page URL (options: SoundCloud's widget parameters)."""
    return f"{site}/player/?" + urlencode({"url": url, **options})


Size = Annotated[int | None, QueryParameter(ge=1, le=10_000)]


@get("/oembed", opt=OPEN, name="site_oembed")
async def oembed(  # SoundCloud's parameters, each declared
    request: Request[Any, Any, Any],
    url: Annotated[str, QueryParameter(max_length=MAX_URL)] = "",
    format: Annotated[str, QueryParameter(max_length=8)] = "json",
    callback: Annotated[str, QueryParameter(max_length=64)] = "",
    maxwidth: Size = None,
    maxheight: Size = None,
    color: Annotated[str, QueryParameter(max_length=7)] = "",
    auto_play: FromQuery[bool] = False,
    show_comments: FromQuery[bool] = True,
) -> Response[Any]:
    if not url:
        return _error(400, "url_required", "url is required: the page URL of a track or set")
    if format not in ("json", "js"):
        return _error(400, "invalid_format", f"format must be json or js; got {format!r}")
    if format == "js" and not _CALLBACK.match(callback):
        return _error(400, "invalid_callback", "format=js needs a callback (a JavaScript name)")
    if color and not _COLOR.match(color):
        return _error(400, "invalid_color", f"color must be a hex color like ff5500; got {color!r}")
    site, server = site_of(request), server_of(request)
    try:
        kind, found = await views.resolve_url(services_of(request), site, url, server)
    except NotFound:
        return _error(404, "not_found", "no track or set at this URL")
    height = HEIGHT[kind] if maxheight is None else min(HEIGHT[kind], maxheight)
    options = {"auto_play": str(auto_play).lower(), "show_comments": str(show_comments).lower()}
    if color:
        options["color"] = color.lstrip("#")
    src = player_src(server, found["url"], **options)
    width = str(maxwidth) if maxwidth else "100%"
    html = (
        f'<iframe width="{width}" height="{height}" scrolling="no" frameborder="no" '
        f'allow="autoplay" src="{src.replace("&", "&amp;")}"></iframe>'
    )
    artwork = found.get("artwork") or found["user"].get("avatar")
    body = {
        "version": 1.0,
        "type": "rich",
        "provider_name": PROVIDER,
        "provider_url": site,
        "height": height,
        "width": maxwidth if maxwidth else "100%",
        "title": f"{found['title']} by {found['user']['name']}",
        "description": found.get("description", ""),
        "thumbnail_url": server + artwork if artwork else None,
        "html": html,
        "author_name": found["user"]["name"],
        "author_url": found["user"]["url"],
    }
    encoded = msgspec.json.encode(body)
    if format == "js":
        return Response(
            callback.encode() + b"(" + encoded + b");", media_type="application/javascript"
        )
    return Response(encoded, media_type="application/json")


ROUTES = [oembed]
