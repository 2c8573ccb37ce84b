"""The pages at the permalink URLs: home, search, a user, a track, a set."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get
from litestar.params import FromPath, QueryParameter
from litestar.response import Template

from app.edge.kit.routes import OPEN
from app.edge.site import views
from app.edge.site.routes import page, server_of, services_of, site_of

MAX_QUERY = 200


@get("/", opt=OPEN, name="site_home")
async def home(request: Request[Any, Any, Any]) -> Template:
    tracks = await views.recent(services_of(request), site_of(request))
    return page("home.html", request, tracks=tracks)


@get("/search", opt=OPEN, name="site_search")
async def search(
    request: Request[Any, Any, Any],
    q: Annotated[str, QueryParameter(max_length=MAX_QUERY)] = "",
) -> Template:
    text = q.strip()
    tracks = await views.recent(services_of(request), site_of(request), text) if text else []
    return page("search.html", request, q=text, tracks=tracks)


@get("/{user:str}", opt=OPEN, name="site_user")
async def user_page(request: Request[Any, Any, Any], user: FromPath[str]) -> Template:
    found = await views.user_page(services_of(request), site_of(request), user)
    return page("user.html", request, user=found)


async def _track(
    request: Request[Any, Any, Any], user: str, track: str, token: str | None
) -> Template:
    found = await views.track_page(
        services_of(request), site_of(request), user, track, token, server_of(request)
    )
    return page("track.html", request, track=found)


@get("/{user:str}/{track:str}", opt=OPEN, name="site_track")
async def track_page(
    request: Request[Any, Any, Any], user: FromPath[str], track: FromPath[str]
) -> Template:
    return await _track(request, user, track, None)


@get("/{user:str}/{track:str}/{token:str}", opt=OPEN, name="site_secret_track")
async def secret_track_page(
    request: Request[Any, Any, Any],
    user: FromPath[str],
    track: FromPath[str],
    token: FromPath[str],
) -> Template:
    return await _track(request, user, track, token)


async def _set(
    request: Request[Any, Any, Any], user: str, name: str, token: str | None
) -> Template:
    found = await views.playlist_page(services_of(request), site_of(request), user, name, token)
    return page("set.html", request, playlist=found)


@get("/{user:str}/sets/{name:str}", opt=OPEN, name="site_set")
async def set_page(
    request: Request[Any, Any, Any], user: FromPath[str], name: FromPath[str]
) -> Template:
    return await _set(request, user, name, None)


@get("/{user:str}/sets/{name:str}/{token:str}", opt=OPEN, name="site_secret_set")
async def secret_set_page(
    request: Request[Any, Any, Any],
    user: FromPath[str],
    name: FromPath[str],
    token: FromPath[str],
) -> Template:
    return await _set(request, user, name, token)


ROUTES = [home, search, user_page, track_page, secret_track_page, set_page, secret_set_page]
