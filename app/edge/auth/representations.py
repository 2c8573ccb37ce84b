"""The token endpoint's success body (RFC 6749 §5.1)."""

from __future__ import annotations

import msgspec

from app.value_added.identity import TokenPair


class TokenResponse(msgspec.Struct, frozen=True, omit_defaults=True):
    access_token: str
    token_type: str
    expires_in: int
    scope: str
    refresh_token: str | None = None

    @classmethod
    def of(cls, pair: TokenPair) -> TokenResponse:
        return cls(
            access_token=pair.access_token,
            token_type=pair.token_type.lower(),
            expires_in=pair.expires_in,
            scope=pair.scope,
            refresh_token=pair.refresh_token,
        )
