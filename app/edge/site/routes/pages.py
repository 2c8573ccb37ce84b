"""The pages at the permalink URLs: home, search, a user, a track, a set."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get
from litestar.params import FromPath, QueryParameter
from litestar.response import Template

from app.edge.kit.routes import OPEN
from app.edge.site import views
from app.edge.site.routes import page, server_of, services_of, site_of, visitor

MAX_QUERY = 200


@get("/", opt=OPEN, name="site_home")
async def home(request: Request[Any, Any, Any]) -> Template:
    tracks = await views.recent(services_of(request), site_of(request))
    return page("home.html", request, tracks=tracks, me=await visitor(request))


@get("/search", opt=OPEN, name="site_search")
async def search(
    request: Request[Any, Any, Any],
    q: Annotated[str, QueryParameter(max_length=MAX_QUERY)] = "",
) -> Template:
    text = q.strip()
    tracks = await views.recent(services_of(request), site_of(request), text) if text else []
    return page("search.html", request, q=text, tracks=tracks, me=await visitor(request))


@get("/{user:str}", opt=OPEN, name="site_user")
async def user_page(request: Request[Any, Any, Any], user: FromPath[str]) -> Template:
    found = await views.user_page(services_of(request), site_of(request), user)
    return page("user.html", request, user=found, me=await visitor(request))


@get(
    ["/{user:str}/{track:str}", "/{user:str}/{track:str}/{token:str}"], opt=OPEN, name="site_track"
)
async def track_page(
    request: Request[Any, Any, Any],
    user: FromPath[str],
    track: FromPath[str],
    token: FromPath[str | None] = None,
) -> Template:
    """A track's page; its secret link (`…/<token>`) opens a private one."""
    services = services_of(request)
    found = await views.track_page(
        services, site_of(request), user, track, token, server_of(request)
    )
    me = await visitor(request)
    mine = await views.engagement(services, me.session.viewer, found["id"], token) if me else None
    return page("track.html", request, track=found, me=me, mine=mine)


@get(
    ["/{user:str}/sets/{name:str}", "/{user:str}/sets/{name:str}/{token:str}"],
    opt=OPEN,
    name="site_set",
)
async def set_page(
    request: Request[Any, Any, Any],
    user: FromPath[str],
    name: FromPath[str],
    token: FromPath[str | None] = None,
) -> Template:
    """A set's page; its secret link (`…/<token>`) opens a private one."""
    found = await views.playlist_page(services_of(request), site_of(request), user, name, token)
    return page("set.html", request, playlist=found, me=await visitor(request))


ROUTES = [home, search, user_page, track_page, set_page]
