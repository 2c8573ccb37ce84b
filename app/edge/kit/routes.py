"""Typed route security: what every BFF route declares, and the start-up check that enforces it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Literal

import msgspec
from litestar import Litestar

SECURITY_KEY = "security"
DOCUMENT_KEY = "document"
"""Beside the security declaration, a route may carry what its BFF's own document completion
(BFFSpec.document) reads: the description of a handler that reads its request itself."""

Auth = Literal["none", "app", "user", "bff"]
"""none: no identification (docs, OAuth endpoints doing their own client authentication, signed
media URLs); app: a client_id or any access token; user: a user's access token; bff: a user
authenticated by the BFF itself with its protocol's own credentials (Subsonic's API keys and
player passwords), which the gateway neither reads nor counts — the BFF's dependency does both."""


class Security(msgspec.Struct, frozen=True, kw_only=True):
    """Who may call a route and what the response may be; a route declares it through
    Litestar's `opt` with exactly one key, `security` (the named declarations below, or
    `declare(Security(...))` for a BFF's own), and the gateway reads nothing else.

    `scope` is the OAuth scope the route needs (None: any); `entitlement` an app entitlement
    it needs besides the `write` one every write needs; `catalog` marks a GET whose
    representation may be cached by the edge and publicly for anonymous callers; `upload` a
    route whose body carries a media file, bounded by MAX_UPLOAD_BYTES instead of
    MAX_BODY_BYTES (kit.body_limit).
    """

    auth: Auth
    scope: str | None
    entitlement: str | None = None
    catalog: bool = False
    upload: bool = False


def declare(security: Security) -> dict[str, Any]:
    """The `opt` of a route with this security."""
    return {SECURITY_KEY: security}


OPEN = declare(Security(auth="none", scope=None))
"""No identification at all (the route authenticates by other means, or is public)."""
CATALOG = declare(Security(auth="app", scope="read", catalog=True))
"""A catalogue read: any app may call it; the representation may be cached."""
READ = declare(Security(auth="app", scope="read"))
"""A read any app may make, never cached by the edge (also a POST that only reads, such as
asking for a download grant)."""
USER_READ = declare(Security(auth="user", scope="read"))
"""A read of the signed-in user's own resources."""
WRITE = declare(Security(auth="user", scope="write"))
"""A command of a signed-in user."""
UPLOAD = declare(Security(auth="user", scope="write", upload=True))
"""A signed-in user's command carrying a media file (its body bounded by MAX_UPLOAD_BYTES)."""
APP_WRITE = declare(Security(auth="app", scope="write"))
"""A command an app may send without a user (a play)."""
ANY_TOKEN = declare(Security(auth="app", scope=None))
"""Any identified app, whatever its token's scopes (`/whoami`, signing its own token out)."""
AUTOMATIC_OPTIONS = Security(auth="app", scope=None)
"""What the OPTIONS handlers Litestar adds to every path get (an identified app, as any
request that is not a read)."""


class RouteDeclarationError(Exception):
    """A BFF route without a valid security declaration: the BFF refuses to start."""


def upload(opt: dict[str, Any]) -> dict[str, Any]:
    """The declaration `opt` for a route that also carries a media file (see UPLOAD)."""
    return declare(msgspec.structs.replace(opt[SECURITY_KEY], upload=True))


def security_of(handler: Any) -> Security:
    """The declaration of a route handler the start-up check accepted (only Litestar's
    automatic OPTIONS handlers have none)."""
    declared: Security = handler.opt.get(SECURITY_KEY, AUTOMATIC_OPTIONS)
    return declared


def check_declarations(app: Litestar, bff: str) -> None:
    """Refuse (RouteDeclarationError naming handler and path) any route of `app` whose
    resolved `opt` is not exactly `{"security": Security(...)}`: a route without one, or with
    another key (a misspelt one would silently drop a requirement), does not start."""
    for path, method, handler in _handlers(app.route_handler_method_map):
        if is_automatic_options(handler):
            continue
        problem = _problem(handler.opt, method)
        if problem is not None:
            raise RouteDeclarationError(
                f"{bff} BFF: route handler {handler.handler_name!r} ({method} {path}) {problem}; "
                f"declare opt=<a kit declaration such as CATALOG, READ, WRITE or OPEN> "
                f"(app.edge.kit.routes)"
            )


def _handlers(method_map: Mapping[str, Mapping[Any, Any]]) -> Iterator[tuple[str, str, Any]]:
    for path, by_method in method_map.items():
        for method, handler in by_method.items():
            yield path, str(method), handler


def is_automatic_options(handler: Any) -> bool:
    """The OPTIONS handler Litestar adds to a path whose routes define none."""
    name = getattr(handler.fn, "__qualname__", "")
    return bool(name.startswith("HTTPRoute.create_options_handler.")) and set(
        handler.http_methods
    ) == {"OPTIONS"}


def _problem(opt: Mapping[str, Any], method: str) -> str | None:
    unknown = sorted(set(opt) - {SECURITY_KEY, DOCUMENT_KEY})
    if unknown:
        return (
            f"has unknown opt key(s) {unknown} (only {SECURITY_KEY!r} and {DOCUMENT_KEY!r} are "
            "allowed)"
        )
    if SECURITY_KEY not in opt:
        return "has no security declaration"
    declared = opt[SECURITY_KEY]
    if not isinstance(declared, Security):
        return f"declares security as {type(declared).__name__}, not a kit Security"
    if declared.auth == "none" and (declared.scope or declared.entitlement or declared.catalog):
        return "is open (auth none) but names a scope, an entitlement or catalog caching"
    if declared.auth == "bff" and (declared.scope is None or declared.entitlement):
        return "is authenticated by the BFF (auth bff) but names no scope, or an app entitlement"
    if declared.auth == "bff" and declared.catalog:
        return (
            "is authenticated by the BFF (auth bff) yet marked catalog (cache keys need a caller)"
        )
    if declared.catalog and method not in ("GET", "HEAD"):
        return "is a write marked catalog (only GET representations are cached)"
    if declared.upload and method not in ("POST", "PUT"):
        return "is marked upload but takes no body (only POST and PUT carry files)"
    return None
