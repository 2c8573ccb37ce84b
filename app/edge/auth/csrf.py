"""Signed, short-lived form tokens bound to the authorization request (CSRF protection).

token = "<expires>.<nonce>.<mac>", mac = HMAC-SHA256(key, expires, nonce, request parameters),
with a key derived from the app's secret key for this purpose only. Changing any bound
parameter, the expiry or the nonce invalidates the token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Sequence

import msgspec

TTL_SECONDS = 600
_PURPOSE = b"soundstack/auth/authorize-form/v1"


def _key(secret_key: str) -> bytes:
    return hmac.new(secret_key.encode(), _PURPOSE, hashlib.sha256).digest()


def _mac(secret_key: str, expires: str, nonce: str, bound: Sequence[str]) -> str:
    message = msgspec.json.encode([expires, nonce, *bound])
    raw = hmac.new(_key(secret_key), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def issue(secret_key: str, bound: Sequence[str], now: float | None = None) -> str:
    """A new form token for these request parameters, valid for TTL_SECONDS."""
    expires = str(int((time.time() if now is None else now) + TTL_SECONDS))
    nonce = secrets.token_urlsafe(12)
    return f"{expires}.{nonce}.{_mac(secret_key, expires, nonce, bound)}"


def verify(secret_key: str, token: str, bound: Sequence[str], now: float | None = None) -> bool:
    """True for an unexpired token issued for exactly these parameters."""
    expires, _, rest = token.partition(".")
    nonce, _, mac = rest.partition(".")
    if not (expires.isdigit() and nonce and mac):
        return False
    if not hmac.compare_digest(mac.encode(), _mac(secret_key, expires, nonce, bound).encode()):
        return False
    current = time.time() if now is None else now
    return current < int(expires) <= current + TTL_SECONDS
