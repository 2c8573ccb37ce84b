"""Random secrets, their SHA-256 digests and constant-time comparison (tokens, codes, links)."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_secret() -> str:
    """A random, URL-safe secret with 256 bits of entropy (tokens, codes, client secrets)."""
    return secrets.token_urlsafe(32)


def new_secret_token() -> str:
    """A fresh secret-link token (SoundCloud's `s-…` shape) for a private track or playlist."""
    return "s-" + secrets.token_urlsafe(12)


def digest(secret: str) -> str:
    """SHA-256 hex digest: enough for high-entropy secrets (passwords use argon2)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def same(a: str, b: str) -> bool:
    """Constant-time string comparison."""
    return hmac.compare_digest(a.encode(), b.encode())
