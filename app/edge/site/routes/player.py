"""The embeddable player (`/player/?url=…`), its Widget API script, and counting plays."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, post
from litestar.params import FromQuery, JSONBody, QueryParameter
from litestar.response import Template

from app.edge.kit.routes import OPEN
from app.edge.site import views
from app.edge.site.routes import page, server_of, services_of, site_of

API_JS = Path(__file__).parent.parent / "assets" / "api.js"
MAX_URL = 2000
COLOR = r"^#?[0-9A-Fa-f]{3}([0-9A-Fa-f]{3})?$"


class PlayBody(msgspec.Struct, frozen=True):
    track_id: int
    secret_token: str | None = None


@get("/player/", opt=OPEN, name="site_player")
async def player(  # SoundCloud's widget parameters, each declared
    request: Request[Any, Any, Any],
    url: Annotated[str, QueryParameter(max_length=MAX_URL)] = "",
    auto_play: FromQuery[bool] = False,
    color: Annotated[str, QueryParameter(pattern=COLOR)] = "ff5500",
    show_artwork: FromQuery[bool] = True,
    show_comments: FromQuery[bool] = True,
    show_user: FromQuery[bool] = True,
    show_playcount: FromQuery[bool] = True,
    buying: FromQuery[bool] = True,
    sharing: FromQuery[bool] = True,
    download: FromQuery[bool] = True,
    start_track: Annotated[int, QueryParameter(ge=0, le=10_000)] = 0,
    visual: FromQuery[bool] = False,
) -> Template:
    """The widget: refuses hidden tracks and sets exactly as the pages do (the 404 page)."""
    kind, found = await views.resolve_url(
        services_of(request), site_of(request), url, server_of(request)
    )
    options = {
        "auto_play": auto_play,
        "color": "#" + color.lstrip("#"),
        "show_artwork": show_artwork,
        "show_comments": show_comments,
        "show_user": show_user,
        "show_playcount": show_playcount,
        "buying": buying,
        "sharing": sharing,
        "download": download,
        "start_track": start_track,
        "visual": visual,
    }
    return page("player.html", request, kind=kind, item=found, options=options)


@get("/player/api.js", opt=OPEN, name="site_widget_api", media_type="application/javascript")
async def widget_api() -> Response[bytes]:
    """`SC.Widget(iframe)`: drives an embedded player over postMessage."""
    return Response(API_JS.read_bytes(), media_type="application/javascript")


@post("/player/plays", opt=OPEN, name="site_play", status_code=200)
async def count_play(request: Request[Any, Any, Any], data: JSONBody[PlayBody]) -> dict[str, int]:
    """One listen through the page or the widget: the same command as the apps' play."""
    plays = await services_of(request).tracks.record_play(
        views.ANONYMOUS, data.track_id, data.secret_token
    )
    return {"plays": plays}


ROUTES = [player, widget_api, count_play]
