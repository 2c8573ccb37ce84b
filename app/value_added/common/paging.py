"""Keyset pages filtered per viewer: refill until the page is full, within a bounded budget."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from app.foundation.query import Key, Page
from app.foundation.unit_of_work import UnitOfWork
from app.value_added.common.cursor import Page as VasPage
from app.value_added.common.cursor import clamp_limit
from app.value_added.common.deps import Deps

R = TypeVar("R")
X = TypeVar("X")
Y = TypeVar("Y")

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


async def listing(
    deps: Deps,
    scope: str,
    cursor: str | None,
    limit: int | None,
    fetch: Callable[[UnitOfWork, Key | None, int], Awaitable[Page[Any]]],
    keep: Callable[[UnitOfWork, list[Any]], Awaitable[list[X]]],
    finish: Callable[[UnitOfWork, list[X]], Awaitable[list[Y]]],
) -> VasPage[Y]:
    """One signed-cursor page of a listing, in one read unit of work: `fetch` keyset pages,
    `keep` what the viewer may see (refilling up to the limit), `finish` into aggregates."""
    size = clamp_limit(limit)
    after = deps.cursors.decode(scope, cursor)
    async with deps.db.read() as uow:

        async def kept(items: list[Any]) -> list[X]:
            return await keep(uow, items)

        found, key = await filtered_page(lambda k, n: fetch(uow, k, n), kept, after, size)
        items = await finish(uow, found)
    return VasPage(items=items, next_cursor=deps.cursors.encode(scope, key))


async def everything(_uow: UnitOfWork, items: list[X]) -> list[X]:
    """A `keep` that keeps every item (listings whose items need no per-viewer filter)."""
    return items
