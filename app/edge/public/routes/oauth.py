"""`/sign-out`, and the legacy OAuth endpoints `/oauth2/token` and `/connect`."""

from __future__ import annotations

import base64
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency

from app.edge.kit import links, throttle
from app.edge.kit.auth import token_from
from app.edge.kit.context import EdgeContext
from app.edge.kit.errors import EdgeError
from app.edge.kit.routes import ANY_TOKEN, OPEN
from app.edge.public import mappers
from app.edge.public.params import bodies
from app.edge.public.routes import json
from app.value_added.common.errors import Unauthenticated
from app.value_added.identity import AppInfo

Req = Request[Any, Any, Any]
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


@post("/sign-out", opt=ANY_TOKEN, status_code=200)
async def sign_out(request: Req, edge: NamedDependency[EdgeContext]) -> Response[Any]:
    """Revoke the access token of this request (and its refresh family)."""
    query = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
    token = token_from(request.headers.get("authorization"), query)
    if token is not None:
        await edge.services.identity.revoke(token)
    return json({"status": "200 - OK"}, headers=NO_STORE)


async def _client(edge: EdgeContext, request: Req, form: dict[str, Any]) -> AppInfo:
    client_id = bodies.text(form, "client_id") or ""
    secret = bodies.text(form, "client_secret") or ""
    if not client_id and request.headers.get("authorization", "").lower().startswith("basic "):
        raw = request.headers["authorization"].split(" ", 1)[1]
        client_id, _, secret = base64.b64decode(raw).decode("utf-8", "replace").partition(":")
    try:
        return await throttle.client_verified(edge, request.scope, client_id, secret)
    except Unauthenticated as exc:
        raise EdgeError(401, "invalid_client", "invalid_client") from exc


@post("/oauth2/token", opt=OPEN, status_code=200)
async def legacy_token(request: Req, edge: NamedDependency[EdgeContext]) -> Response[Any]:
    """SoundCloud's legacy token endpoint, served by the identity VAS like /auth/oauth/token:
    client_credentials, authorization_code (with PKCE's code_verifier) and refresh_token."""
    form = await bodies.flat(request)
    app = await _client(edge, request, form)
    grant = bodies.text(form, "grant_type")
    identity = edge.services.identity
    scope = bodies.text(form, "scope")
    requested = scope.split() if scope else None
    try:
        if grant == "client_credentials":
            pair = await identity.issue_client_credentials(app, requested)
        elif grant == "authorization_code":
            pair = await identity.exchange_code(
                app,
                bodies.text(form, "code") or "",
                bodies.text(form, "redirect_uri") or "",
                bodies.text(form, "code_verifier") or "",
            )
        elif grant == "refresh_token":
            pair = await identity.refresh(app, bodies.text(form, "refresh_token") or "", requested)
        else:
            raise EdgeError(400, "unsupported_grant_type", "unsupported_grant_type")
    except Unauthenticated as exc:
        raise EdgeError(400, exc.reason, exc.reason) from exc
    return json(mappers.token(pair), headers=NO_STORE)


@get("/connect", opt=OPEN)
async def legacy_connect(request: Req) -> Response[Any]:
    """SoundCloud's legacy authorize URL: the same query, handed to the OAuth server."""
    query = request.scope.get("query_string", b"").decode("latin-1")
    location = f"{links.base_url(request)}/auth/authorize" + (f"?{query}" if query else "")
    return Response(b"", status_code=302, headers={"Location": location})


ROUTES = [sign_out, legacy_token, legacy_connect]
