"""POST /oauth/token: client_credentials, authorization_code (+PKCE) and refresh_token grants.

The grant rules (PKCE verification, single-use codes, rotation, family revocation) live in the
identity VAS; this module parses the request, authenticates the client and maps the outcome.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, post
from litestar.openapi.datastructures import ResponseSpec

from app.edge.auth.errors import NO_STORE, from_service, oauth_error
from app.edge.auth.mappers import token_response
from app.edge.auth.params import authenticate_client, body_params, require
from app.edge.kit.context import EdgeContext
from app.edge.kit.oauth_forms import TOKEN_BODY, TokenResponse
from app.edge.kit.openapi import described
from app.edge.kit.routes import OPEN
from app.value_added.common.errors import ServiceError
from app.value_added.identity import AppInfo, IdentityService, TokenPair

GRANT_TYPES = ("authorization_code", "client_credentials", "refresh_token")
INVALID_CLIENT = ResponseSpec(
    data_container=None,
    description="invalid_client: the client did not authenticate (WWW-Authenticate: Basic)",
)


async def _grant(
    identity: IdentityService, grant_type: str, app: AppInfo, params: dict[str, str]
) -> TokenPair:
    requested = params["scope"].split() if "scope" in params else None
    if grant_type == "client_credentials":
        return await identity.issue_client_credentials(app, requested)
    if grant_type == "authorization_code":
        code, redirect_uri, verifier = require(params, "code", "redirect_uri", "code_verifier")
        return await identity.exchange_code(app, code, redirect_uri, verifier)
    (refresh_token,) = require(params, "refresh_token")
    return await identity.refresh(app, refresh_token, requested)


@post(
    "/oauth/token",
    opt=OPEN,
    status_code=200,
    summary="Token endpoint (RFC 6749 §3.2)",
    description="Form-encoded (or JSON) grant_type=client_credentials | authorization_code "
    "(PKCE S256 required) | refresh_token, with an optional narrower `scope`. Confidential "
    "apps authenticate with HTTP Basic or client_id/client_secret for every grant; public apps "
    "send client_id only and get no client_credentials (400 unauthorized_client). Wrong client "
    "secrets are throttled per address and per client_id at that address (429 "
    "too_many_attempts, Retry-After).",
    operation_class=described(body=TOKEN_BODY),
    responses={401: INVALID_CLIENT},
)
async def token(request: Request[Any, Any, Any]) -> Response[TokenResponse]:
    params = await body_params(request)
    (grant_type,) = require(params, "grant_type")
    if grant_type not in GRANT_TYPES:
        raise oauth_error("unsupported_grant_type", f"supported: {', '.join(GRANT_TYPES)}")
    identity = EdgeContext.of(request.app.state).services.identity
    app = await authenticate_client(request, params)
    try:
        pair = await _grant(identity, grant_type, app, params)
    except ServiceError as exc:
        raise from_service(exc) from exc
    return Response(token_response(pair), status_code=200, headers=NO_STORE)


ROUTES = [token]
