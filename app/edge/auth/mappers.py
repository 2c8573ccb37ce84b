"""Identity results to the OAuth server's JSON representations."""

from __future__ import annotations

from app.edge.kit.oauth_forms import TokenResponse
from app.value_added.identity import TokenPair


def token_response(pair: TokenPair) -> TokenResponse:
    """The token endpoint's success body (RFC 6749 §5.1)."""
    return TokenResponse(
        access_token=pair.access_token,
        token_type=pair.token_type.lower(),
        expires_in=pair.expires_in,
        scope=pair.scope,
        refresh_token=pair.refresh_token,
    )
