"""The auth BFF's declaration for the edge kit: its routes, error format and limits."""

from __future__ import annotations

from app.edge.auth.errors import ERROR_SCHEMA, oauth_error_format
from app.edge.auth.routes import authorize, revoke, token
from app.edge.kit.bff import BFFSpec


def spec() -> BFFSpec:
    return BFFSpec(
        name="auth",
        title="Soundstack OAuth 2.1 authorization server",
        description=(
            "Soundstack OAuth 2.1 authorization server: the authorization endpoint with PKCE "
            "(S256 only), the token endpoint (authorization_code, refresh_token, "
            "client_credentials), token revocation (RFC 7009) and sign-out."
        ),
        route_handlers=[*authorize.ROUTES, *token.ROUTES, *revoke.ROUTES],
        error_format=oauth_error_format,
        error_schema=ERROR_SCHEMA,
    )
