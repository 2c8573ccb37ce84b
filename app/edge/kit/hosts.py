"""The Host a request may name (ALLOWED_HOSTS, as Django's): absolute links are built from
BASE_URL or an allowed Host, never from an arbitrary one; any other Host is a 400."""

from __future__ import annotations

import re
from typing import Any

from app.edge.kit.errors import EdgeError

_HOST = re.compile(r"^(?:\[(?P<v6>[0-9a-f:.]+)\]|(?P<name>[a-z0-9.-]+))(?::[0-9]{1,5})?$")


def host_name(raw: str) -> str | None:
    """The host of a Host header, lower-cased, without port or IPv6 brackets (None when it
    is no host name or address)."""
    found = _HOST.match(raw.strip().lower())
    if found is None:
        return None
    return found.group("v6") or found.group("name").rstrip(".")


def is_allowed(raw_host: bytes | str | None, allowed: tuple[str, ...] | None) -> bool:
    """Does `raw_host` name one of `allowed` (None: any; `.example.org` also matches its
    subdomains, `*` anything)? A request without Host is answered from the server's own
    address, which no client chooses. (Decided once per Host value: the gateway and the
    links of every request ask.)"""
    if allowed is None or raw_host is None:
        return True
    key = (raw_host, allowed)
    found = _decided.get(key)
    if found is None:
        if len(_decided) >= _DECIDED_MAX:  # (any client may send any Host: bounded)
            _decided.clear()
        found = _decided[key] = _allows(raw_host, allowed)
    return found


def _allows(raw_host: bytes | str, allowed: tuple[str, ...]) -> bool:
    raw = raw_host.decode("latin-1") if isinstance(raw_host, bytes) else raw_host
    name = host_name(raw)
    if name is None:
        return False
    for pattern in allowed:
        if pattern == "*" or name == pattern:
            return True
        if pattern.startswith(".") and (name == pattern[1:] or name.endswith(pattern)):
            return True
    return False


_DECIDED_MAX = 1024
_decided: dict[tuple[bytes | str, tuple[str, ...]], bool] = {}
"""is_allowed's answers by (Host, allowed hosts)."""


def invalid_host() -> EdgeError:
    return EdgeError(
        400,
        "invalid_host",
        "the Host header names no host this server answers for (ALLOWED_HOSTS, BASE_URL)",
        field="Host",
    )


def server_root(scope: Any) -> str:
    """scheme://address:port of the socket the request came in on (what a client cannot
    choose): the root of links when the Host is not one to use."""
    server = scope.get("server") or ("127.0.0.1", 80)
    host, port = server[0], server[1]
    host = f"[{host}]" if ":" in str(host) else str(host)
    return f"{scope.get('scheme', 'http')}://{host}" + (f":{port}" if port else "")
