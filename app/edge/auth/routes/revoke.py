"""POST /oauth/revoke (RFC 7009) and POST /sign-out: revoke a token's whole family."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, post

from app.edge.auth.errors import NO_STORE
from app.edge.auth.params import authenticate_client, body_params, require
from app.edge.kit.auth import token_from
from app.edge.kit.context import EdgeContext
from app.edge.kit.errors import EdgeError
from app.edge.kit.routes import OPEN


@post(
    "/oauth/revoke",
    opt=OPEN,
    status_code=200,
    summary="Token revocation (RFC 7009)",
    description="Form-encoded `token` (access or refresh; `token_type_hint` is accepted and "
    "not needed). Revokes the token's family. Always 200, also for unknown tokens; client "
    "credentials, when sent, must be valid.",
)
async def revoke(request: Request[Any, Any, Any]) -> Response[bytes]:
    params = await body_params(request)
    (token_value,) = require(params, "token")
    identity = EdgeContext.of(request.app.state).services.identity
    authorization = request.headers.get("authorization")
    if authorization or "client_id" in params:
        await authenticate_client(identity, authorization, params, allow_public=True)
    await identity.revoke(token_value)
    return Response(b"", status_code=200, headers=NO_STORE)


@post(
    "/sign-out",
    opt=OPEN,
    status_code=204,
    summary="Sign out",
    description="Revokes the family of the token (its access and refresh tokens) in "
    "`Authorization: OAuth|Bearer <token>`, or in the body as SoundCloud's guide sends it: "
    'JSON `{"access_token": "<token>"}` (or the form field `access_token`).',
)
async def sign_out(request: Request[Any, Any, Any]) -> Response[None]:
    token_value = token_from(request.headers.get("authorization"), {})
    if token_value is None:
        token_value = (await body_params(request)).get("access_token")
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
