"""Header hygiene: drop hop-by-hop and internal headers from untrusted peers; security headers."""

from __future__ import annotations

import ipaddress
import itertools
import re
import uuid
from collections.abc import Iterable, Iterator, Sequence

HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"proxy-connection",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
    }
)
INTERNAL_PREFIXES = (b"x-internal-", b"x-user-", b"x-forwarded-")
TERRITORY_HEADER = "x-soundstack-territory"
INTERNAL_EXACT = frozenset({TERRITORY_HEADER.encode(), b"forwarded", b"x-real-ip"})
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-resource-policy", b"same-site"),
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
)
REQUEST_ID = b"x-request-id"
EDGE_HEADERS_SENT = "edge_headers_sent"
"""Scope state flag: the gateway added the edge headers to this response itself."""
_VALID_REQUEST_ID = re.compile(rb"^[A-Za-z0-9._:-]{1,128}$")
_TERRITORY = re.compile(r"[A-Za-z]{2}")


def is_trusted(peer: str | None, proxies: Sequence[str]) -> bool:
    """Whether the peer address is a configured trusted proxy (an address, a CIDR or a name).
    (Decided once per peer and proxies: parsing them costs more than the rest of the edge's
    hygiene, and every request asks, some several times.)"""
    if not peer or not proxies:
        return False
    key = (peer, tuple(proxies))
    found = _trusted.get(key)
    if found is None:
        if len(_trusted) >= _TRUSTED_MAX:  # (peers are any client's addresses: bounded)
            _trusted.clear()
        found = _trusted[key] = _is_trusted(peer, proxies)
    return found


_TRUSTED_MAX = 4096
_trusted: dict[tuple[str, tuple[str, ...]], bool] = {}
"""is_trusted's answers by (peer, proxies)."""


def _is_trusted(peer: str, proxies: Sequence[str]) -> bool:
    for proxy in proxies:
        if peer == proxy:
            return True
        try:
            if ipaddress.ip_address(peer) in ipaddress.ip_network(proxy, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_address(
    peer: str | None, headers: Iterable[tuple[bytes, bytes]], proxies: Sequence[str]
) -> str:
    """The address the request came from: the peer, or — when the peer is a trusted proxy (a
    load balancer, a CDN) — the nearest untrusted address in its X-Forwarded-For."""
    if not peer or not is_trusted(peer, proxies):
        return peer or "unknown"
    forwarded = value_of(headers, b"x-forwarded-for")
    hops = [h.strip() for h in forwarded.decode("latin-1").split(",")] if forwarded else []
    for hop in reversed([h for h in hops if h]):
        if not is_trusted(hop, proxies):
            return hop
    return hops[0] if hops and hops[0] else peer


def territory_of(value: bytes | None) -> str | None:
    """The ISO 3166-1 alpha-2 territory a trusted proxy set, upper-cased; None if malformed."""
    text = value.decode("latin-1").strip() if value else ""
    return text.upper() if _TERRITORY.fullmatch(text) else None


def sanitize(headers: Iterable[tuple[bytes, bytes]], trusted: bool) -> list[tuple[bytes, bytes]]:
    """Incoming headers without hop-by-hop ones (and those Connection names), and without
    internal ones unless `trusted`. (When every name is one seen before as lower-case and
    neither hop-by-hop nor internal — most requests — there is nothing to drop or lower.)"""
    headers = list(headers)
    plain = _plain_names
    for name, _ in headers:
        if name not in plain:
            return _sanitized(headers, trusted)
    return headers


def _sanitized(headers: list[tuple[bytes, bytes]], trusted: bool) -> list[tuple[bytes, bytes]]:
    named = {
        token.strip().lower()
        for name, value in headers
        if name.lower() == b"connection"
        for token in value.split(b",")
    } - {b"host"}
    kept = []
    for name, value in headers:
        lowered = name.lower()
        if lowered in HOP_BY_HOP or lowered == b"connection" or lowered in named:
            continue
        if not trusted and (lowered.startswith(INTERNAL_PREFIXES) or lowered in INTERNAL_EXACT):
            continue
        kept.append((lowered, value))
        if lowered == name and len(_plain_names) < _PLAIN_MAX and _is_plain(lowered):
            _plain_names.add(lowered)
    return kept


def _is_plain(name: bytes) -> bool:
    """Would `sanitize` keep a header of this (lower-case) name as it is, from any peer?"""
    return (
        name not in HOP_BY_HOP
        and name != b"connection"
        and not name.startswith(INTERNAL_PREFIXES)
        and name not in INTERNAL_EXACT
    )


_PLAIN_MAX = 512
_plain_names: set[bytes] = set()
"""Header names `sanitize` keeps as they are from any peer, as requests brought them (bounded:
names are any client's; past the bound new ones only take the general path)."""


def request_id_of(headers: Iterable[tuple[bytes, bytes]]) -> str:
    """The client's X-Request-Id when well-formed, else a new one."""
    for name, value in headers:
        if name == REQUEST_ID and _VALID_REQUEST_ID.match(value):
            return value.decode()
    return next(_new_ids)


def _request_ids() -> Iterator[str]:
    """Unique ids without a system call per request: a random per-process prefix and a counter."""
    prefix = uuid.uuid4().hex[:16]
    return (f"{prefix}{n:016x}" for n in itertools.count(1))


_new_ids = _request_ids()


def outgoing(headers: Iterable[tuple[bytes, bytes]], request_id: str) -> list[tuple[bytes, bytes]]:
    """Response headers with the request id and security headers; no server version."""
    return [*finished(headers), (REQUEST_ID, request_id.encode())]


def finished(headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """Response headers with the security headers and without server version or request id
    (the part of `outgoing` that does not change from one request to the next)."""
    present = set()
    result = []
    for name, value in headers:
        lowered = name.lower()
        if lowered in _NEVER_SENT:
            continue
        present.add(lowered)
        result.append((lowered, value))
    if b"content-security-policy" in present:  # its own policy: framing is its frame-ancestors
        present.add(b"x-frame-options")
    result.extend((n, v) for n, v in SECURITY_HEADERS if n not in present)
    return result


_NEVER_SENT = frozenset({b"server", b"x-powered-by", REQUEST_ID})


def value_of(headers: Iterable[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    """The first value of header `name` (lower-case, as sanitize leaves every name)."""
    for key, value in headers:
        if key == name:
            return value
    return None
