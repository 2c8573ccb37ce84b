"""Signing in and out of the site (OAuth authorization code + PKCE through the auth BFF), and a
signed-in listener's likes and reposts from a track's page.

The session is the access token in an HttpOnly, SameSite=Lax cookie: scripts never see it, no
URL carries it, other sites' requests do not send it on writes. Writes also need the session's
CSRF token (the `X-CSRF-Token` header, or the form field for sign-out)."""

from __future__ import annotations

import hmac
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, delete, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Template

from app.edge.kit.bounds import PathId
from app.edge.kit.context import EdgeContext
from app.edge.kit.errors import status_of
from app.edge.kit.routes import OPEN
from app.edge.site import session
from app.edge.site.routes import server_of, services_of, site_of
from app.value_added.common.errors import ServiceError, Unauthenticated
from app.value_added.tracks import Engagement

MAX_PARAM = 2000
ELSEWHERE = "Sign-in is set up for another address of this site (set BASE_URL)"


class EngageBody(msgspec.Struct, frozen=True):
    secret_token: str | None = None
    """A private track's secret (from its secret link), to like or repost it."""


def _error(status: int, reason: str, message: str) -> Response[Any]:
    body = msgspec.json.encode({"code": status, "error": reason, "message": message})
    return Response(body, status_code=status, media_type="application/json")


def _secure(request: Request[Any, Any, Any]) -> bool:
    return server_of(request).startswith("https://")


def _problem(request: Request[Any, Any, Any], title: str, status: int) -> Template:
    context = {"site": site_of(request), "title": title}
    return Template("signin_failed.html", context=context, status_code=status)


@get("/signin", opt=OPEN, name="site_signin")
async def sign_in(
    request: Request[Any, Any, Any],
    next: Annotated[str, QueryParameter(max_length=MAX_PARAM)] = "/",
) -> Response[Any]:
    """Start signing in: a new PKCE flow in a short-lived cookie, then the auth BFF's page."""
    server = server_of(request)
    app = await session.site_app(request, server)
    if app is None:
        return _problem(request, ELSEWHERE, 503)
    secret = EdgeContext.of(request.app.state).settings.secret_key
    flow, cookie = session.start(secret, next)
    response: Response[Any] = Redirect(session.authorize_url(server, app, flow), status_code=303)
    response.set_cookie(
        session.FLOW_COOKIE,
        cookie,
        max_age=session.FLOW_SECONDS,
        path="/signin",
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )
    return response


@get("/signin/callback", opt=OPEN, name="site_signin_callback")
async def sign_in_callback(
    request: Request[Any, Any, Any],
    code: Annotated[str, QueryParameter(max_length=MAX_PARAM)] = "",
    returned_state: Annotated[str, QueryParameter(name="state", max_length=MAX_PARAM)] = "",
    error: Annotated[str, QueryParameter(max_length=MAX_PARAM)] = "",
) -> Response[Any]:
    """The auth BFF sends the browser back here: the code is exchanged (with the flow's
    verifier) for the session's token, which only the cookie holds."""
    ctx = EdgeContext.of(request.app.state)
    flow = session.flow_of(ctx.settings.secret_key, request.cookies.get(session.FLOW_COOKIE))
    if flow is None or not hmac.compare_digest(flow.state, returned_state):
        return _problem(request, "This sign-in expired or did not start here", 400)
    if error or not code:  # denied at the consent page: back where the listener was
        response: Response[Any] = Redirect(flow.next, status_code=303)
    else:
        server = server_of(request)
        app = await session.site_app(request, server)
        if app is None:
            return _problem(request, ELSEWHERE, 503)
        try:
            pair = await ctx.services.identity.exchange_code(
                app, code, session.callback_url(server), flow.verifier
            )
        except ServiceError:
            return _problem(request, "This sign-in could not be completed", 400)
        response = Redirect(flow.next, status_code=303)
        response.set_cookie(
            session.SESSION_COOKIE,
            pair.access_token,
            max_age=pair.expires_in,
            path="/",
            httponly=True,
            samesite="lax",
            secure=_secure(request),
        )
    response.delete_cookie(session.FLOW_COOKIE, path="/signin")
    return response


@post("/logout", opt=OPEN, name="site_logout", status_code=303)
async def sign_out(request: Request[Any, Any, Any]) -> Response[Any]:
    """Sign out (a form with the CSRF token): the token is revoked and the cookie dropped."""
    found = await session.session_of(request)
    form = await request.form()
    if found is None or not session.csrf_ok(found, str(form.get(session.CSRF_FIELD, ""))):
        return _error(403, "csrf_failed", "sign out from the site's own page")
    token = request.cookies.get(session.SESSION_COOKIE, "")
    await services_of(request).identity.revoke(token)
    response: Response[Any] = Redirect(
        session.safe_next(str(form.get("next", "/"))), status_code=303
    )
    response.delete_cookie(session.SESSION_COOKIE, path="/")
    return response


async def _engage(
    request: Request[Any, Any, Any], kind: str, on: bool, track_id: int
) -> Response[Any]:
    found = await session.session_of(request)
    if found is None:
        return _error(401, "sign_in_required", "sign in to like or repost")
    if not session.csrf_ok(found, request.headers.get(session.CSRF_HEADER)):
        return _error(403, "csrf_failed", "the request did not come from the site's page")
    raw = await request.body()
    try:
        body = msgspec.json.decode(raw, type=EngageBody) if raw else EngageBody()
    except (msgspec.DecodeError, msgspec.ValidationError):
        return _error(400, "invalid_body", 'the body must be {"secret_token": "..."} or empty')
    tracks = services_of(request).tracks
    try:
        result: Engagement
        if kind == "likes":
            result = await (
                tracks.like(found.viewer, track_id, body.secret_token)
                if on
                else tracks.unlike(found.viewer, track_id)
            )
        else:
            result = await (
                tracks.repost(found.viewer, track_id, body.secret_token)
                if on
                else tracks.unrepost(found.viewer, track_id)
            )
    except Unauthenticated as exc:
        return _error(401, exc.reason, exc.message)
    except ServiceError as exc:
        return _error(status_of(exc), exc.reason, exc.message)
    return Response({"active": result.active, "count": result.count}, status_code=200)


@post("/you/likes/{track_id:int}", opt=OPEN, name="site_like", status_code=200)
async def like(request: Request[Any, Any, Any], track_id: PathId) -> Response[Any]:
    return await _engage(request, "likes", True, track_id)


@delete("/you/likes/{track_id:int}", opt=OPEN, name="site_unlike", status_code=200)
async def unlike(request: Request[Any, Any, Any], track_id: PathId) -> Response[Any]:
    return await _engage(request, "likes", False, track_id)


@post("/you/reposts/{track_id:int}", opt=OPEN, name="site_repost", status_code=200)
async def repost(request: Request[Any, Any, Any], track_id: PathId) -> Response[Any]:
    return await _engage(request, "reposts", True, track_id)


@delete("/you/reposts/{track_id:int}", opt=OPEN, name="site_unrepost", status_code=200)
async def unrepost(request: Request[Any, Any, Any], track_id: PathId) -> Response[Any]:
    return await _engage(request, "reposts", False, track_id)


ROUTES = [sign_in, sign_in_callback, sign_out, like, unlike, repost, unrepost]
