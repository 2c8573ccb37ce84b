"""CORS for one BFF: which browser origins may read its responses (CORS_ORIGINS), preflights
answered before any authentication, media readable across origins by those origins."""

from __future__ import annotations

import re

import msgspec

from app.edge.kit import headers

ALLOWED_METHODS = b"GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
EXPOSED = b"etag, location, retry-after, x-request-id, x-ratelimit-limit, x-ratelimit-remaining"
MAX_AGE = b"600"
_HEADER_LIST = re.compile(rb"^[A-Za-z0-9!#$%&'*+.^_`|~-]+(\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$")


class CorsPolicy(msgspec.Struct, frozen=True):
    """The origins a BFF's responses may be read from; empty: no cross-origin reads at all."""

    origins: tuple[str, ...] = ()

    def allow(self, origin: bytes | None) -> bytes | None:
        """The Access-Control-Allow-Origin value for this request's Origin (None: not allowed)."""
        if not origin or not self.origins:
            return None
        if "*" in self.origins:
            return b"*"
        text = origin.decode("latin-1").lower()
        return origin if text in self.origins else None

    def response_headers(self, origin: bytes | None) -> list[tuple[bytes, bytes]]:
        """Headers an actual (non-preflight) response adds for this request's Origin."""
        allowed = self.allow(origin)
        if allowed is None:
            return [(b"vary", b"origin")] if self.origins else []
        out = [
            (b"access-control-allow-origin", allowed),
            (b"access-control-expose-headers", EXPOSED),
            (b"cross-origin-resource-policy", b"cross-origin"),
        ]
        if allowed != b"*":
            out.append((b"vary", b"origin"))
        return out

    def preflight_headers(
        self, origin: bytes | None, requested_headers: bytes | None
    ) -> list[tuple[bytes, bytes]]:
        """The answer to an OPTIONS preflight: what the origin may send (nothing if refused)."""
        allowed = self.allow(origin)
        vary = (b"vary", b"origin, access-control-request-method, access-control-request-headers")
        if allowed is None:
            return [vary]
        out = [
            (b"access-control-allow-origin", allowed),
            (b"access-control-allow-methods", ALLOWED_METHODS),
            (b"access-control-max-age", MAX_AGE),
            vary,
        ]
        if requested_headers and _HEADER_LIST.match(requested_headers.strip()):
            out.append((b"access-control-allow-headers", requested_headers.strip()))
        return out


def is_preflight(method: str, hdrs: list[tuple[bytes, bytes]]) -> bool:
    """An OPTIONS request a browser sends before a cross-origin call (never carries a token)."""
    return (
        method == "OPTIONS"
        and headers.value_of(hdrs, b"origin") is not None
        and headers.value_of(hdrs, b"access-control-request-method") is not None
    )
