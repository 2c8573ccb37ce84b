"""Authentication: token from `Authorization: OAuth|Bearer` or `oauth_token`, or a `client_id`."""

from __future__ import annotations

from collections.abc import Mapping

from app.edge.kit.caller import Caller
from app.edge.kit.errors import EdgeError
from app.value_added.access import Viewer
from app.value_added.common.errors import Unauthenticated
from app.value_added.identity import IdentityService

SCHEMES = ("oauth", "bearer")


def token_from(authorization: str | None, query: Mapping[str, str]) -> str | None:
    """The access token of a request, or None when it carries none.

    A malformed Authorization header is an error, not an anonymous request.
    """
    if authorization:
        scheme, _, token = authorization.strip().partition(" ")
        if scheme.lower() not in SCHEMES or not token.strip():
            raise EdgeError(
                401,
                "invalid_authorization",
                "Authorization must be 'OAuth <token>' or 'Bearer <token>'",
                headers={"WWW-Authenticate": 'OAuth realm="soundstack", error="invalid_request"'},
            )
        return token.strip()
    return query.get("oauth_token") or None


async def resolve_caller(
    identity: IdentityService,
    authorization: str | None,
    query: Mapping[str, str],
    territory: str | None,
) -> Caller | None:
    """The caller; None when the request identifies no app at all."""
    token = token_from(authorization, query)
    if token is not None:
        try:
            principal = await identity.principal(token)
        except Unauthenticated as exc:
            raise _unauthorized(exc.reason, exc.message) from exc
        if principal is None:
            raise _unauthorized("invalid_token", "the access token is not valid")
        return Caller.for_principal(principal, territory)
    client_id = query.get("client_id")
    if client_id:
        app = await identity.app_by_client_id(client_id)
        if app is None:
            raise _unauthorized("invalid_client", "unknown client_id")
        return Caller.for_app(app, territory)
    return None


def client_id_required() -> EdgeError:
    """401 for a request that identifies no app at all."""
    return _unauthorized(
        "client_id_required", "identify the app with client_id or authenticate with an OAuth token"
    )


def user_required() -> EdgeError:
    """401 for a route that needs a user's access token, called with an app's credentials."""
    return EdgeError(
        401,
        "user_required",
        "this endpoint needs a user's access token (authorization code flow)",
        headers={"WWW-Authenticate": 'OAuth realm="soundstack", error="user_required"'},
    )


def signed_in_user(viewer: Viewer) -> int:
    """The signed-in user's id. The gateway refuses `auth: user` routes to callers without
    one; a route declared otherwise that calls this gets the same 401."""
    if viewer.user_id is None:
        raise user_required()
    return viewer.user_id


def scopes_of(caller: Caller) -> frozenset[str]:
    """What the caller may do: its token's granted scopes, or for a bare `client_id` (no token)
    what a client_credentials token of the app would get (its entitlements)."""
    if caller.principal is not None:
        return caller.principal.scopes
    return caller.app.entitlements


def require_scope(caller: Caller, scope: str | None) -> None:
    """403 `insufficient_scope` (RFC 6750 §3.1) unless the caller was granted `scope`."""
    if scope is None or scope in scopes_of(caller):
        return
    raise EdgeError(
        403,
        "insufficient_scope",
        f"this request needs the {scope!r} scope, which the access token was not granted",
        headers={
            "WWW-Authenticate": (
                f'Bearer realm="soundstack", error="insufficient_scope", scope="{scope}"'
            )
        },
        extra={"scope": scope},
    )


def _unauthorized(reason: str, message: str) -> EdgeError:
    """401 with an RFC 6750 challenge; the body's `reason` tells expired, revoked and unknown
    apart, the challenge uses the standard `invalid_token` code."""
    challenge = 'OAuth realm="soundstack"'
    if reason != "client_id_required":
        code = "invalid_client" if reason == "invalid_client" else "invalid_token"
        challenge += f', error="{code}", error_description="{message}"'
    return EdgeError(401, reason, message, headers={"WWW-Authenticate": challenge})
