"""Deterministic secrets derived from SECRET_KEY with HMAC: stable per install, never public."""

from __future__ import annotations

import base64
import hashlib
import hmac


class Derived:
    """`derive(purpose)` is the same for the same SECRET_KEY and unguessable without it."""

    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(("seed:" + secret).encode()).digest()

    def derive(self, purpose: str, length: int = 43) -> str:
        mac = hmac.new(self._key, purpose.encode(), hashlib.sha256).digest()
        if length > 43:
            mac += hmac.new(self._key, b"more:" + purpose.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).decode().rstrip("=")[:length]

    def secret_token(self, kind: str, entity_id: int) -> str:
        """A private-link token (`s-…`) for a seeded track or playlist."""
        return "s-" + self.derive(f"{kind}:{entity_id}", 16)
