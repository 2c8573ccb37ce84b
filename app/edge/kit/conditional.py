"""Conditional GET and cache control: strong ETags, 304s, Cache-Control and Vary."""

from __future__ import annotations

import hashlib

VARY = b"Authorization, Accept-Encoding, X-Soundstack-Territory"
"""What a response may depend on besides the URL (the territory header comes from trusted
proxies and changes what an anonymous caller may play)."""
PUBLIC_MAX_AGE = 60


def etag_of(body: bytes) -> bytes:
    """A strong validator for a response body."""
    return b'"' + hashlib.sha256(body).hexdigest()[:32].encode() + b'"'


def matches(if_none_match: bytes | None, etag: bytes) -> bool:
    """RFC 9110 If-None-Match: '*' or any listed tag equal (weak comparison, as the RFC says)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == b"*":
        return True
    wanted = etag.removeprefix(b"W/")
    return any(t.strip().removeprefix(b"W/") == wanted for t in if_none_match.split(b","))


def cache_control(anonymous: bool, catalog: bool) -> bytes:
    """Public caching only for anonymous catalogue reads; anything personalised is private."""
    if anonymous and catalog:
        return b"public, max-age=%d" % PUBLIC_MAX_AGE
    return b"private, no-cache"


def vary(*, quirks: bool) -> bytes:
    """The Vary header; a BFF with client quirks also varies by User-Agent."""
    return VARY + b", User-Agent" if quirks else VARY
