"""The token endpoint's success body (RFC 6749 §5.1)."""

from __future__ import annotations

import msgspec


class TokenResponse(msgspec.Struct, frozen=True, omit_defaults=True):
    access_token: str
    token_type: str
    expires_in: int
    scope: str
    refresh_token: str | None = None
