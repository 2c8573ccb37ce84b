"""Aggregates to api-v2 representations: a field table per entity (`tracks`, `users`,
`playlists`), the table machinery (`shapes`), and the collection envelope."""

from __future__ import annotations

from typing import Any

from litestar import Request

from app.edge.kit.links import next_href
from app.edge.web.representations import CURSOR_PARAM, Collection


def collection(request: Request[Any, Any, Any], items: list[Any], cursor: str | None) -> Collection:
    """An api-v2 collection page with an absolute next_href keeping the request's filters."""
    return Collection(collection=items, next_href=next_href(request, cursor, CURSOR_PARAM))
