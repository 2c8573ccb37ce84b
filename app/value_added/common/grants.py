"""Short-lived signed grants (downloads, stream URLs): HMAC over kind, subject and expiry.

A subject is a string or a msgspec Struct of claims (`sign_claims`/`verify_claims`: e.g. who a
media URL was issued to); either way the token is base64url(JSON [kind, subject, expires] + MAC).
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


class Grant(msgspec.Struct, frozen=True, array_like=True):
    kind: str
    subject: str
    expires: int
    """Unix seconds."""


class Claimed(msgspec.Struct, Generic[C], frozen=True, array_like=True):
    """A grant whose subject is a Struct of claims."""

    kind: str
    claims: C
    expires: int
    """Unix seconds."""


_INVALID = "the signed link is invalid"


class GrantSigner:
    """Signs and verifies grants; a tampered or expired grant is PermissionDenied."""

    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(("grant:" + secret).encode()).digest()
        self._digest_key = hashlib.sha256(("grant-digest:" + secret).encode()).digest()

    def _seal(self, payload: bytes) -> str:
        mac = hmac.new(self._key, payload, hashlib.sha256).digest()[:16]
        return base64.urlsafe_b64encode(payload + mac).decode().rstrip("=")

    def _open(self, token: str) -> bytes:
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        except ValueError as exc:
            raise PermissionDenied(_INVALID, reason="invalid_signature") from exc
        payload, mac = raw[:-16], raw[-16:]
        expected = hmac.new(self._key, payload, hashlib.sha256).digest()[:16]
        if not hmac.compare_digest(mac, expected):
            raise PermissionDenied(_INVALID, reason="invalid_signature")
        return payload

    @staticmethod
    def _check(kind: str, expected_kind: str, expires: int, now: dt.datetime) -> None:
        if kind != expected_kind:
            raise PermissionDenied(_INVALID, reason="invalid_signature")
        if expires < now.timestamp():
            raise PermissionDenied("the signed link has expired", reason="expired_signature")

    def sign(self, kind: str, subject: str, expires_at: dt.datetime) -> str:
        grant = Grant(kind=kind, subject=subject, expires=int(expires_at.timestamp()))
        return self._seal(msgspec.json.encode(grant))

    def verify(self, token: str, kind: str, now: dt.datetime) -> Grant:
        payload = self._open(token)
        try:
            grant = msgspec.json.decode(payload, type=Grant)
        except msgspec.DecodeError as exc:
            raise PermissionDenied(_INVALID, reason="invalid_signature") from exc
        self._check(grant.kind, kind, grant.expires, now)
        return grant

    def sign_claims(self, kind: str, claims: msgspec.Struct, expires_at: dt.datetime) -> str:
        claimed = Claimed(kind=kind, claims=claims, expires=int(expires_at.timestamp()))
        return self._seal(msgspec.json.encode(claimed))

    def verify_claims(
        self, token: str, kind: str, now: dt.datetime, claims: type[C]
    ) -> tuple[C, dt.datetime]:
        """The claims of a valid grant of `kind`, and when it expires."""
        payload = self._open(token)
        try:
            found = msgspec.json.decode(payload, type=Claimed[claims])  # type: ignore[valid-type]
        except msgspec.DecodeError as exc:
            raise PermissionDenied(_INVALID, reason="invalid_signature") from exc
        self._check(found.kind, kind, found.expires, now)
        return found.claims, dt.datetime.fromtimestamp(found.expires, dt.UTC)

    def digest(self, secret: str, size: int = 16) -> str:
        """A keyed digest of `secret` (e.g. a secret-link token) to put in a grant in its place:
        it matches the same secret again but reveals nothing of it."""
        return hmac.new(self._digest_key, secret.encode(), hashlib.sha256).hexdigest()[:size]

    @staticmethod
    def redemption_id(token: str) -> str:
        """A grant token's identity for recording its one redemption (SHA-256, hex)."""
        return hashlib.sha256(token.encode()).hexdigest()
