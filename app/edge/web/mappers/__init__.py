"""Aggregates to api-v2 representations: a field table per entity (`tracks`, `users`,
`playlists`), the table machinery (`shapes`), and the collection envelope."""

from __future__ import annotations

from typing import Any, TypeVar

from litestar import Request

from app.edge.kit.links import next_href
from app.edge.web.representations.pages import CURSOR_PARAM, Collection

P = TypeVar("P", bound=Collection)


def collection(
    request: Request[Any, Any, Any], page: type[P], items: list[Any], cursor: str | None
) -> P:
    """An api-v2 collection page with an absolute next_href keeping the request's filters."""
    return page(collection=items, next_href=next_href(request, cursor, CURSOR_PARAM))
