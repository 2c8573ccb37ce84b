"""Short-lived signed grants (downloads, stream URLs): HMAC over kind, claims and expiry.

The claims are a msgspec Struct (e.g. which object a media URL names and who it was issued
to); the token is base64url(JSON [kind, claims, expires] + a 128-bit MAC).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from typing import Generic, TypeVar

import msgspec

from app.value_added.common.errors import PermissionDenied

C = TypeVar("C")
_INVALID = "the signed link is invalid"


class Grant(msgspec.Struct, Generic[C], frozen=True, array_like=True):
    kind: str
    claims: C
    expires: int
    """Unix seconds."""


class GrantSigner:
    """Signs and verifies grants; a tampered, foreign or expired grant is PermissionDenied."""

    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(("grant:" + secret).encode()).digest()

    def sign(self, kind: str, claims: msgspec.Struct, expires_at: dt.datetime) -> str:
        grant = Grant(kind=kind, claims=claims, expires=int(expires_at.timestamp()))
        payload = msgspec.json.encode(grant)
        mac = hmac.new(self._key, payload, hashlib.sha256).digest()[:16]
        return base64.urlsafe_b64encode(payload + mac).decode().rstrip("=")

    def verify(
        self, token: str, kind: str, now: dt.datetime, claims: type[C]
    ) -> tuple[C, dt.datetime]:
        """The claims of a valid grant of `kind`, and when it expires."""
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            payload, mac = raw[:-16], raw[-16:]
            expected = hmac.new(self._key, payload, hashlib.sha256).digest()[:16]
            if not hmac.compare_digest(mac, expected):
                raise ValueError("bad signature")
            grant = msgspec.json.decode(payload, type=Grant[claims])  # type: ignore[valid-type]
        except (ValueError, msgspec.DecodeError) as exc:
            raise PermissionDenied(_INVALID, reason="invalid_signature") from exc
        if grant.kind != kind:
            raise PermissionDenied(_INVALID, reason="invalid_signature")
        if grant.expires < now.timestamp():
            raise PermissionDenied("the signed link has expired", reason="expired_signature")
        return grant.claims, dt.datetime.fromtimestamp(grant.expires, dt.UTC)
