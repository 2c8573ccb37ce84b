"""Pages in api-v2's shape: single listings, and mixed ones (search, likes, stream) that merge
several VAS listings under one opaque offset."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from litestar import Request

from app.edge.web.params import collection, pack_cursors, page_cursor, unpack_cursors

Rendered = tuple[list[dict[str, Any]], str | None]
Source = Callable[[str | None, int | None], Awaitable[Rendered]]
"""(VAS cursor, limit) -> (rendered items, next VAS cursor)."""


async def mixed(
    request: Request[Any, Any, Any],
    sources: Mapping[str, Source],
    offset: str | None,
    limit: int | None,
) -> dict[str, Any]:
    """One page of each listing that still has pages, in the order given."""
    state = unpack_cursors(page_cursor(offset), tuple(sources))
    items: list[dict[str, Any]] = []
    following: dict[str, str] = {}
    for name, cursor in state.items():
        rendered, next_cursor = await sources[name](cursor, limit)
        items.extend(rendered)
        if next_cursor:
            following[name] = next_cursor
    return collection(request, items, pack_cursors(following))
