"""The Subsonic endpoints, one module per resource; `endpoint` declares one at `/<name>` and
`/<name>.view`, for GET and form POST (the formPost extension)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar import route
from litestar.handlers import HTTPRouteHandler

OPEN = {"auth": "none"}
"""The kit's gateway does not authenticate Subsonic calls: they carry Subsonic's own
credentials, which the BFF's player dependency checks (see dependencies.py)."""
METHODS: list[Any] = ["GET", "POST"]


def endpoint(name: str, summary: str) -> Callable[[Callable[..., Any]], HTTPRouteHandler]:
    return route(
        [f"/{name}", f"/{name}.view"],
        http_method=METHODS,
        opt=OPEN,
        summary=summary,
        name=name,
    )
