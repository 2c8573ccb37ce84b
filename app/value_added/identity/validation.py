"""Input rules of identity: usernames, passwords, apps, redirect URIs and scopes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from app.value_added.common.errors import InvalidArgument

PLANS = frozenset({"free", "premium"})
BFFS = frozenset({"mobile", "web", "public", "partner"})
ENTITLEMENTS = frozenset({"read", "write", "insights", "partner:catalog", "partner:insights"})
"""App entitlements: `read`/`write` (default) are ordinary API access; `insights` opens the
creator statistics; `partner:catalog` / `partner:insights` open the Partner API's catalog
management and reporting for the creators who granted the app (see grant_partner)."""
DEFAULT_ENTITLEMENTS = ("read", "write")

_USERNAME = re.compile(r"[A-Za-z0-9_-]{3,40}")
_COUNTRY = re.compile(r"[A-Z]{2}")
MIN_PASSWORD, MAX_PASSWORD = 8, 1024
MAX_NAME = 100
MAX_URI = 512
MAX_SCOPE = 255


def _bad(field: str, message: str, reason: str = "invalid_argument") -> InvalidArgument:
    return InvalidArgument(message, reason=reason, field=field)


RESERVED_USERNAMES = frozenset(
    {"mobile", "web", "public", "partner", "rest", "auth", "media", "subsonic"}  # API prefixes
    | {"oembed", "player", "search", "assets", "health", "ready", "sets", "tracks", "users"}
    | {"schema", "static", "you", "upload", "settings", "signin", "signup", "login", "logout"}
    | {"api", "discover", "stream", "feed", "admin", "about", "help", "terms", "privacy"}
)
"""First path segments the server itself uses (the BFFs' prefixes, the site's pages): a user
named so would have a page nobody could reach."""


def username(value: str) -> str:
    if not _USERNAME.fullmatch(value):
        raise _bad("username", "username must be 3-40 characters of letters, digits, _ or -")
    if value.lower() in RESERVED_USERNAMES:
        raise _bad("username", f"the username {value!r} is reserved", reason="username_reserved")
    return value


def password(value: str) -> str:
    if not MIN_PASSWORD <= len(value) <= MAX_PASSWORD:
        raise _bad("password", f"password must be {MIN_PASSWORD}-{MAX_PASSWORD} characters")
    return value


def country(value: str | None) -> str | None:
    if value is None:
        return None
    code = value.strip().upper()
    if not _COUNTRY.fullmatch(code):
        raise _bad("country", "country must be an ISO 3166-1 alpha-2 code")
    return code


def plan(value: str) -> str:
    if value not in PLANS:
        raise _bad("plan", f"plan must be one of {sorted(PLANS)}")
    return value


def text(field: str, value: str, *, required: bool = False) -> str:
    value = value.strip()
    if len(value) > MAX_NAME or (required and not value):
        raise _bad(field, f"{field} must be {1 if required else 0}-{MAX_NAME} characters")
    return value


def choices(field: str, values: Iterable[str], allowed: frozenset[str]) -> list[str]:
    chosen = list(dict.fromkeys(values))
    unknown = [v for v in chosen if v not in allowed]
    if unknown:
        raise _bad(field, f"unknown {field} {unknown}; allowed: {sorted(allowed)}")
    return chosen


def bffs(values: Iterable[str]) -> list[str]:
    chosen = choices("bffs", values, BFFS)
    if not chosen:
        raise _bad("bffs", "an app needs at least one of " + ", ".join(sorted(BFFS)))
    return chosen


def redirect_uri(value: str) -> str:
    """An absolute http(s) URL with a host and no fragment (OAuth 2.1 §2.3.1)."""
    try:
        parts = urlsplit(value)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        valid = False
    if not valid or len(value) > MAX_URI or "#" in value or any(c.isspace() for c in value):
        raise _bad(
            "redirect_uris",
            f"redirect URI {value!r} must be an absolute http(s) URL without a fragment",
        )
    return value


def scopes(requested: Iterable[str] | None, entitlements: frozenset[str]) -> str:
    """The space-joined scopes: the app's entitlements when None, else a subset of them."""
    chosen = sorted(entitlements if requested is None else set(requested))
    extra = [s for s in chosen if s not in entitlements]
    joined = " ".join(chosen)
    if extra or len(joined) > MAX_SCOPE:
        raise _bad(
            "scope", f"scopes {extra or chosen} are not granted to this app", "invalid_scope"
        )
    return joined
