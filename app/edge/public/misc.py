"""`/resolve`, `/sign-out`, and the legacy OAuth endpoints `/oauth2/token` and `/connect`."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlencode, urlsplit

from litestar import Request, Response, get, post

from app.edge.kit import links
from app.edge.kit.auth import token_from
from app.edge.kit.context import EdgeContext
from app.edge.kit.errors import EdgeError
from app.edge.public import bodies, ids
from app.edge.public.views import USER_MASK, View, json
from app.value_added.access import Viewer
from app.value_added.common.errors import NotFound, Unauthenticated
from app.value_added.common.fieldmask import FieldMask
from app.value_added.identity import AppInfo, TokenPair

Req = Request[Any, Any, Any]
ID_ONLY = FieldMask(["id"])
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


async def _resolve_path(view: View, segments: list[str]) -> tuple[str, str | None]:
    """The API path of the resource a soundcloud.com-style URL names, and its secret token."""
    if not segments:
        raise NotFound("nothing to resolve")
    secret = segments[2] if len(segments) >= 3 and segments[2].startswith("s-") else None
    user, rest = segments[0], segments[1:]
    services, viewer = view.services, view.viewer
    if len(rest) >= 2 and rest[0] == "sets":
        playlist = await services.playlists.resolve(viewer, user, rest[1], ID_ONLY, secret)
        return f"/playlists/{ids.urn('playlists', playlist.id)}", secret
    if rest and rest[0] not in ("tracks", "sets", "likes", "reposts", "followers", "following"):
        track = await services.tracks.resolve(viewer, user, rest[0], ID_ONLY, secret)
        return f"/tracks/{ids.urn('tracks', track.id)}", secret
    found = await services.users.resolve(viewer, user, USER_MASK)
    return f"/users/{ids.urn('users', found.id)}", None


@get("/resolve")
async def resolve(request: Req, edge: EdgeContext, viewer: Viewer) -> Response[Any]:
    view = View(request, edge, viewer)
    raw = (view.param("url") or "").strip()
    parts = urlsplit(raw if "//" in raw else f"//{raw}")
    segments = [s for s in parts.path.split("/") if s]
    path, secret = await _resolve_path(view, segments)
    params: dict[str, str] = {}
    if secret:
        params["secret_token"] = secret
    client_id = view.param("client_id")
    if client_id:
        params["client_id"] = client_id
    location = view.links.api(path) + (f"?{urlencode(params)}" if params else "")
    return json(
        {"status": "302 - Found", "location": location}, status=302, headers={"Location": location}
    )


@post("/sign-out", status_code=200)
async def sign_out(request: Req, edge: EdgeContext, viewer: Viewer) -> Response[Any]:
    """Revoke the access token of this request (and its refresh family)."""
    query = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
    token = token_from(request.headers.get("authorization"), query)
    if token is not None:
        await edge.services.identity.revoke(token)
    return json({"status": "200 - OK"}, headers=NO_STORE)


def _token_body(pair: TokenPair) -> dict[str, Any]:
    body: dict[str, Any] = {
        "access_token": pair.access_token,
        "expires_in": pair.expires_in,
        "scope": pair.scope,
        "token_type": "bearer",
    }
    if pair.refresh_token:
        body["refresh_token"] = pair.refresh_token
    return body


async def _client(edge: EdgeContext, request: Req, form: dict[str, Any]) -> AppInfo:
    client_id = bodies.text(form, "client_id") or ""
    secret = bodies.text(form, "client_secret") or ""
    if not client_id and request.headers.get("authorization", "").lower().startswith("basic "):
        raw = request.headers["authorization"].split(" ", 1)[1]
        client_id, _, secret = base64.b64decode(raw).decode("utf-8", "replace").partition(":")
    try:
        return await edge.services.identity.verify_client(client_id, secret)
    except Unauthenticated as exc:
        raise EdgeError(401, "invalid_client", "invalid_client") from exc


@post("/oauth2/token", opt={"auth": "none"}, status_code=200)
async def legacy_token(request: Req, edge: EdgeContext) -> Response[Any]:
    """SoundCloud's legacy token endpoint, served by the identity VAS like /auth/oauth/token:
    client_credentials, authorization_code (with PKCE's code_verifier) and refresh_token."""
    form = await bodies.flat(request)
    app = await _client(edge, request, form)
    grant = bodies.text(form, "grant_type")
    identity = edge.services.identity
    try:
        if grant == "client_credentials":
            pair = await identity.issue_client_credentials(app)
        elif grant == "authorization_code":
            pair = await identity.exchange_code(
                app,
                bodies.text(form, "code") or "",
                bodies.text(form, "redirect_uri") or "",
                bodies.text(form, "code_verifier") or "",
            )
        elif grant == "refresh_token":
            pair = await identity.refresh(app, bodies.text(form, "refresh_token") or "")
        else:
            raise EdgeError(400, "unsupported_grant_type", "unsupported_grant_type")
    except Unauthenticated as exc:
        raise EdgeError(400, exc.reason, exc.reason) from exc
    return json(_token_body(pair), headers=NO_STORE)


@get("/connect", opt={"auth": "none"})
async def legacy_connect(request: Req, edge: EdgeContext) -> Response[Any]:
    """SoundCloud's legacy authorize URL: the same query, handed to the OAuth server."""
    query = request.scope.get("query_string", b"").decode("latin-1")
    location = f"{links.base_url(request)}/auth/authorize" + (f"?{query}" if query else "")
    return Response(b"", status_code=302, headers={"Location": location})


ROUTES = [resolve, sign_out, legacy_token, legacy_connect]
