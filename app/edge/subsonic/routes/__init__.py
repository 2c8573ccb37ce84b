"""The Subsonic endpoints, one module per resource; `endpoint` declares one at `/<name>` and
`/<name>.view`, for GET and form POST (the formPost extension), with its security and what it
reads and answers (its OpenAPI document)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar import route
from litestar.handlers import HTTPRouteHandler

from app.edge.kit.routes import DOCUMENT_KEY, Security, declare
from app.edge.subsonic.document import Doc

PLAYER_READ = declare(Security(auth="bff", scope="read"))
"""A read by a music player: Subsonic's own credentials (an API key, or the user's player
password), which the gateway does not read; the BFF's `player` dependency authenticates them and
counts the request against the user's read budget (see dependencies.py)."""
PLAYER_WRITE = declare(Security(auth="bff", scope="write"))
"""A change by a music player (star, scrobble, playlists), whatever its HTTP method: counted
against the user's write budget too."""
METHODS: list[Any] = ["GET", "POST"]


def endpoint(
    name: str, summary: str, security: dict[str, Any] = PLAYER_READ, doc: Doc | None = None
) -> Callable[[Callable[..., Any]], HTTPRouteHandler]:
    """The endpoint `name`; `doc` says what it reads and answers (subsonic.document)."""
    return route(
        [f"/{name}", f"/{name}.view"],
        http_method=METHODS,
        opt={**security, DOCUMENT_KEY: doc or Doc()},
        summary=summary,
        name=name,
    )
