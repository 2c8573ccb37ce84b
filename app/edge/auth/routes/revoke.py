"""POST /oauth/revoke (RFC 7009) and POST /sign-out: revoke a token's whole family."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, Response, post
from litestar.openapi.datastructures import ResponseSpec

from app.edge.auth.errors import NO_STORE
from app.edge.auth.params import (
    REVOKE_BODY,
    SIGN_OUT_BODY,
    authenticate_client,
    body_params,
    require,
)
from app.edge.auth.routes.token import INVALID_CLIENT
from app.edge.kit.auth import token_from
from app.edge.kit.context import EdgeContext
from app.edge.kit.errors import EdgeError
from app.edge.kit.openapi import described
from app.edge.kit.routes import OPEN


@post(
    "/oauth/revoke",
    opt=OPEN,
    status_code=200,
    summary="Token revocation (RFC 7009)",
    description="Form-encoded `token` (access or refresh; `token_type_hint` is accepted and "
    "not needed). The client authenticates as at the token endpoint (a confidential app with "
    "its secret, a public app with its client_id). Revokes the token's family when it was "
    "issued to that client. Always 200 once the client is authenticated, also for unknown "
    "tokens and other apps' tokens (which are left alone, RFC 7009 §2.2).",
    operation_class=described(body=REVOKE_BODY),
    responses={
        200: ResponseSpec(data_container=None, description="Revoked (or nothing to revoke)"),
        401: INVALID_CLIENT,
    },
)
async def revoke(request: Request[Any, Any, Any]) -> Response[bytes]:
    params = await body_params(request)
    (token_value,) = require(params, "token")
    identity = EdgeContext.of(request.app.state).services.identity
    app = await authenticate_client(request, params)
    await identity.revoke(token_value, app.id)
    return Response(b"", status_code=200, media_type=MediaType.TEXT, headers=NO_STORE)


@post(
    "/sign-out",
    opt=OPEN,
    status_code=204,
    summary="Sign out",
    description="Revokes the family of the token (its access and refresh tokens) in "
    "`Authorization: OAuth|Bearer <token>`, or in the body as SoundCloud's guide sends it: "
    'JSON `{"access_token": "<token>"}` (or the form field `access_token`).',
    operation_class=described(body=SIGN_OUT_BODY),
    responses={
        204: ResponseSpec(data_container=None, description="Signed out"),
        401: ResponseSpec(data_container=None, description="invalid_token: no token given"),
    },
)
async def sign_out(request: Request[Any, Any, Any]) -> Response[None]:
    in_body = (await body_params(request)).get("access_token")
    token_value = token_from(request.headers.get("authorization"), {}) or in_body
    if token_value is None:
        raise EdgeError(
            401,
            "invalid_token",
            "sign-out needs 'Authorization: OAuth <token>' or 'Bearer <token>', or a body "
            '{"access_token": "<token>"}',
            headers={"WWW-Authenticate": 'Bearer realm="soundstack"'},
        )
    await EdgeContext.of(request.app.state).services.identity.revoke(token_value)
    return Response(None, status_code=204, headers=NO_STORE)


ROUTES = [revoke, sign_out]
