"""GET/POST /authorize: the authorization endpoint (RFC 6749 §4.1 with PKCE, RFC 7636).

GET renders the sign-in and consent page with a signed form token (see csrf); POST checks the
token, then the user's decision and credentials, and redirects (303) with a code or an error.
"""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, Response, get, post

from app.edge.auth import csrf, pages
from app.edge.auth.pages import REDIRECT, REFUSED, html, page, refuse
from app.edge.auth.params import (
    AUTHORIZE_FORM,
    AUTHORIZE_QUERY,
    PARAMS,
    Authorization,
    bound_values,
    check_client,
    granted_scopes,
    parse_form,
    protocol_error,
)
from app.edge.kit import throttle
from app.edge.kit.context import EdgeContext
from app.edge.kit.errors import EdgeError
from app.edge.kit.links import mount_path
from app.edge.kit.oauth_forms import FORM
from app.edge.kit.openapi import described
from app.edge.kit.routes import OPEN
from app.value_added.common.errors import InvalidArgument, Unauthenticated

CSRF_FIELD = "csrf_token"
SIGN_IN_FAILED = "Invalid username or password."
REDIRECT_ERRORS = frozenset({"invalid_request", "invalid_scope", "access_denied", "server_error"})

TOO_MANY = "Too many sign-in attempts. Wait a few minutes and try again."
"""Failed sign-ins are throttled per client address and per username at that address, with
growing waits (kit.throttle.SIGN_IN); a guesser elsewhere never locks the real user out."""


def _form(
    request: Request[Any, Any, Any],
    auth: Authorization,
    scopes: list[str],
    *,
    status: int = 200,
    username: str = "",
    error: str | None = None,
) -> Response[str]:
    secret = EdgeContext.of(request.app.state).settings.secret_key
    hidden = dict(auth.params) | {CSRF_FIELD: csrf.issue(secret, auth.bound)}
    page = pages.sign_in_page(
        action=f"{mount_path(request)}/authorize",
        app_name=auth.app.name,
        scopes=scopes,
        hidden=hidden,
        username=username,
        error=error,
    )
    return html(page, status, auth.redirect_uri)


@get(
    "/authorize",
    opt=OPEN,
    summary="Sign-in and consent page (HTML)",
    description="The page for a known client and one of its redirect URIs; any other problem "
    "of the request is answered by a redirect to the client with an error.",
    media_type=MediaType.HTML,
    operation_class=described(parameters=AUTHORIZE_QUERY),
    responses={303: REDIRECT, 400: REFUSED},
)
async def authorize_page(request: Request[Any, Any, Any]) -> Response[Any]:
    query = request.query_params
    if any(len(query.getall(name, [])) > 1 for name in PARAMS):
        return refuse("A parameter of the sign-in link is repeated.")
    params = {name: value for name in PARAMS if (value := query.get(name))}
    identity = EdgeContext.of(request.app.state).services.identity
    auth = await check_client(identity, params)
    if isinstance(auth, Response):
        return auth
    refusal = protocol_error(auth)
    if refusal is not None:
        return refusal
    scopes = granted_scopes(auth)
    if scopes is None:
        return auth.redirect(error="invalid_scope", error_description="scope not allowed")
    return _form(request, auth, scopes)


@post(
    "/authorize",
    opt=OPEN,
    status_code=303,
    summary="Sign in and decide",
    description="The form of the page: approved with the right credentials or denied, a "
    "redirect to the client; wrong credentials show the page again (401), as do too many "
    "failed attempts (429); a form token that expired or does not match the form is refused "
    "(403).",
    operation_class=described(body=AUTHORIZE_FORM),
    responses={
        303: REDIRECT,
        400: REFUSED,
        401: page("The page again: wrong username or password"),
        403: page("The error page: the form token expired or does not match the form"),
        429: page("The page again: too many failed sign-ins (Retry-After)"),
    },
)
async def authorize_submit(request: Request[Any, Any, Any]) -> Response[Any]:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        form = parse_form(await request.body()) if ctype == FORM else None
    except EdgeError:
        form = None
    if form is None:
        return refuse("The sign-in form could not be read.")
    params = {name: form[name] for name in PARAMS if form.get(name)}
    ctx = EdgeContext.of(request.app.state)
    if not csrf.verify(ctx.settings.secret_key, form.get(CSRF_FIELD, ""), bound_values(params)):
        return refuse("The sign-in form expired or was altered. Go back to the app and retry.", 403)
    auth = await check_client(ctx.services.identity, params)
    if isinstance(auth, Response):
        return auth
    refusal = protocol_error(auth)
    scopes = granted_scopes(auth)
    if refusal is not None or scopes is None:
        return refusal or auth.redirect(error="invalid_scope")
    decision = form.get("decision")
    if decision == "deny":
        return auth.redirect(error="access_denied", error_description="the user denied access")
    if decision != "approve":
        return refuse("Choose Approve or Deny.")
    return await _approve(request, auth, scopes, form)


async def _approve(
    request: Request[Any, Any, Any], auth: Authorization, scopes: list[str], form: dict[str, str]
) -> Response[Any]:
    edge = EdgeContext.of(request.app.state)
    identity = edge.services.identity
    username = form.get("username", "")
    attempt = throttle.Throttle(
        throttle.SIGN_IN, throttle.address_of(request.scope, edge), username
    )
    wait = await attempt.wait(edge.limits)
    if wait is not None:
        page = _form(request, auth, scopes, status=429, username=username, error=TOO_MANY)
        page.headers["Retry-After"] = str(wait)
        return page
    try:
        user_id = await identity.authenticate(username, form.get("password", ""))
    except Unauthenticated:
        await attempt.failed(edge.limits)
        return _form(request, auth, scopes, status=401, username=username, error=SIGN_IN_FAILED)
    try:
        code = await identity.create_code(
            auth.app,
            user_id,
            auth.redirect_uri,
            auth.params["code_challenge"],
            auth.params["code_challenge_method"],
            scopes,
        )
    except InvalidArgument as exc:
        error = exc.reason if exc.reason in REDIRECT_ERRORS else "invalid_request"
        return auth.redirect(error=error, error_description=exc.message)
    return auth.redirect(code=code)


ROUTES = [authorize_page, authorize_submit]
