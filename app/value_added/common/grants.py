"""Short-lived signed grants (downloads, stream URLs): HMAC over kind, subject and expiry."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac

import msgspec

from app.value_added.common.errors import PermissionDenied


class Grant(msgspec.Struct, frozen=True, array_like=True):
    kind: str
    subject: str
    expires: int
    """Unix seconds."""


class GrantSigner:
    """Signs and verifies grants; a tampered or expired grant is PermissionDenied."""

    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(("grant:" + secret).encode()).digest()

    def sign(self, kind: str, subject: str, expires_at: dt.datetime) -> str:
        grant = Grant(kind=kind, subject=subject, expires=int(expires_at.timestamp()))
        payload = msgspec.json.encode(grant)
        mac = hmac.new(self._key, payload, hashlib.sha256).digest()[:16]
        return base64.urlsafe_b64encode(payload + mac).decode().rstrip("=")

    def verify(self, token: str, kind: str, now: dt.datetime) -> Grant:
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            payload, mac = raw[:-16], raw[-16:]
            expected = hmac.new(self._key, payload, hashlib.sha256).digest()[:16]
            if not hmac.compare_digest(mac, expected):
                raise ValueError("bad signature")
            grant = msgspec.json.decode(payload, type=Grant)
        except (ValueError, msgspec.DecodeError) as exc:
            raise PermissionDenied(
                "the signed link is invalid", reason="invalid_signature"
            ) from exc
        if grant.kind != kind:
            raise PermissionDenied("the signed link is invalid", reason="invalid_signature")
        if grant.expires < now.timestamp():
            raise PermissionDenied("the signed link has expired", reason="expired_signature")
        return grant
