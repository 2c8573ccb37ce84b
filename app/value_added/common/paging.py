"""Keyset pages filtered per viewer: refill until the page is full, within a bounded budget."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from app.foundation.query import Key, Page

R = TypeVar("R")
X = TypeVar("X")

MAX_ROUNDS = 4
"""A page whose rows are mostly hidden is returned short (with a next cursor) after this many
foundation reads, so one request never scans an unbounded number of hidden rows."""


async def filtered_page(
    fetch: Callable[[Key | None, int], Awaitable[Page[Any]]],
    keep: Callable[[list[Any]], Awaitable[list[X]]],
    after: Key | None,
    limit: int,
) -> tuple[list[X], Key | None]:
    """Read pages of `fetch` and keep what `keep` lets through until `limit` items are found."""
    found: list[X] = []
    key = after
    for _ in range(MAX_ROUNDS):
        page = await fetch(key, limit - len(found))
        found.extend(await keep(page.items))
        key = page.next_key
        if key is None or len(found) >= limit:
            break
    return found, key
