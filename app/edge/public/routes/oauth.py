"""`/sign-out`, and the legacy OAuth endpoints `/oauth2/token` and `/connect`."""

from __future__ import annotations

import base64
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec

from app.edge.kit import links, throttle
from app.edge.kit.auth import token_from
from app.edge.kit.context import EdgeContext
from app.edge.kit.errors import EdgeError
from app.edge.kit.oauth_forms import TOKEN_BODY, OAuthErrorBody, TokenResponse
from app.edge.kit.openapi import described
from app.edge.kit.routes import OPEN
from app.edge.public import mappers
from app.edge.public import representations as rep
from app.edge.public.params import bodies, schemas
from app.edge.public.routes import json
from app.value_added.common.errors import Unauthenticated
from app.value_added.identity import AppInfo, TokenPair

Req = Request[Any, Any, Any]
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


@post(
    "/sign-out",
    opt=OPEN,
    status_code=200,
    operation_class=described(body=schemas.SIGN_OUT),
)
async def sign_out(request: Req, edge: NamedDependency[EdgeContext]) -> Response[rep.Status]:
    """Revoke an access token (and its refresh family): the request's own (`Authorization`,
    `oauth_token`), or the one in the body as SoundCloud's guide sends it,
    `{"access_token": …}`. The token authenticates the call, so no client_id is needed."""
    in_body = bodies.text(await bodies.flat(request), "access_token")
    query = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
    token = token_from(request.headers.get("authorization"), query) or in_body
    if token is None:
        raise EdgeError(
            401,
            "invalid_token",
            "sign-out needs an access token: 'Authorization: OAuth <token>' or a body "
            '{"access_token": "<token>"}',
        )
    await edge.services.identity.revoke(token)
    return json(rep.OK, headers=NO_STORE)


class OAuthError(Exception):
    """A refusal of the token endpoint, answered with RFC 6749's body (§5.2)."""

    def __init__(self, code: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.code, self.description, self.status = code, description, status

    def response(self) -> Response[Any]:
        headers = dict(NO_STORE)
        if self.status == 401:
            headers["WWW-Authenticate"] = 'Basic realm="soundstack"'
        body = {"error": self.code, "error_description": self.description}
        return json(body, status=self.status, headers=headers)


REFUSED = ResponseSpec(
    data_container=OAuthErrorBody,
    description="RFC 6749's refusal (`error`, `error_description`): unsupported_grant_type, "
    "invalid_request, invalid_grant, invalid_scope, unauthorized_client",
)
INVALID_CLIENT = ResponseSpec(
    data_container=OAuthErrorBody,
    description="invalid_client: the client did not authenticate (WWW-Authenticate: Basic)",
)
CONNECT_REDIRECT = ResponseSpec(
    data_container=None, description="Found: `Location` is /auth/authorize with this query"
)
PKCE_REQUIRED = (
    "this server requires PKCE (OAuth 2.1): start the authorization with code_challenge and "
    "code_challenge_method=S256, and send the code_verifier with the code"
)
NO_GRANT_HELP = (
    "the password grant is not supported (OAuth 2.1): sign users in with the authorization "
    "code flow and PKCE, or use client_credentials for public resources"
)


async def _client(edge: EdgeContext, request: Req, form: dict[str, Any]) -> AppInfo:
    client_id = bodies.text(form, "client_id") or ""
    secret = bodies.text(form, "client_secret") or ""
    if not client_id and request.headers.get("authorization", "").lower().startswith("basic "):
        raw = request.headers["authorization"].split(" ", 1)[1]
        client_id, _, secret = base64.b64decode(raw).decode("utf-8", "replace").partition(":")
    try:
        return await throttle.client_verified(edge, request.scope, client_id, secret)
    except Unauthenticated as exc:
        raise OAuthError("invalid_client", "client authentication failed", 401) from exc


@post(
    "/oauth2/token",
    opt=OPEN,
    status_code=200,
    summary="Token endpoint (SoundCloud's legacy path; RFC 6749 §3.2)",
    description="Form-encoded (or JSON) grant_type=client_credentials | authorization_code "
    "(PKCE's code_verifier required) | refresh_token, with an optional narrower `scope`; the "
    "client authenticates with client_id/client_secret or HTTP Basic. Refusals carry RFC "
    "6749's body.",
    operation_class=described(body=TOKEN_BODY),
    responses={400: REFUSED, 401: INVALID_CLIENT},
)
async def legacy_token(request: Req, edge: NamedDependency[EdgeContext]) -> Response[TokenResponse]:
    """SoundCloud's legacy token endpoint, served by the identity VAS like /auth/oauth/token:
    client_credentials, authorization_code (with PKCE's code_verifier) and refresh_token.
    Refusals carry RFC 6749's body (`error`, `error_description`), which the legacy SDK's
    callers show; its non-PKCE attempts (the password grant, a code without a verifier) are
    told what to do instead."""
    try:
        return json(mappers.token(await _grant(request, edge)), headers=NO_STORE)
    except OAuthError as exc:
        return exc.response()


async def _grant(request: Req, edge: EdgeContext) -> TokenPair:
    form = await bodies.flat(request)
    grant = bodies.text(form, "grant_type")
    if grant == "password":
        raise OAuthError("unsupported_grant_type", NO_GRANT_HELP)
    if grant not in ("client_credentials", "authorization_code", "refresh_token"):
        raise OAuthError("unsupported_grant_type", f"unsupported grant_type {grant!r}")
    app = await _client(edge, request, form)
    identity = edge.services.identity
    scope = bodies.text(form, "scope")
    requested = scope.split() if scope else None
    try:
        if grant == "client_credentials":
            return await identity.issue_client_credentials(app, requested)
        if grant == "authorization_code":
            verifier = bodies.text(form, "code_verifier") or ""
            if not verifier:
                raise OAuthError("invalid_request", PKCE_REQUIRED)
            return await identity.exchange_code(
                app,
                bodies.text(form, "code") or "",
                bodies.text(form, "redirect_uri") or "",
                verifier,
            )
        return await identity.refresh(app, bodies.text(form, "refresh_token") or "", requested)
    except Unauthenticated as exc:
        raise OAuthError(exc.reason, exc.message) from exc


@get(
    "/connect",
    opt=OPEN,
    status_code=302,
    summary="SoundCloud's legacy authorize URL",
    description="Redirects (302) to /auth/authorize with the query as it was sent; that page "
    "checks it (see /auth/schema).",
    operation_class=described(parameters=schemas.CONNECT_QUERY),
    responses={302: CONNECT_REDIRECT},
)
async def legacy_connect(request: Req) -> Response[Any]:
    """SoundCloud's legacy authorize URL: the same query, handed to the OAuth server."""
    query = request.scope.get("query_string", b"").decode("latin-1")
    location = f"{links.base_url(request)}/auth/authorize" + (f"?{query}" if query else "")
    return Response(b"", status_code=302, headers={"Location": location})


ROUTES = [sign_out, legacy_token, legacy_connect]
