"""Count a process's PostgreSQL round trips (asyncpg) and Redis PUBLISHes while a probe measures."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import asyncpg
from asyncpg.prepared_stmt import PreparedStatement
from redis.asyncio import Redis


def _counted(box: list[int], method: Any, when: Any = None) -> Any:
    async def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
        if when is None or when(self, *args):
            box[0] += 1
        return await method(self, *args, **kwargs)

    return counting


def _preparing(connection: Any, query: str, *_: Any, **__: Any) -> bool:
    """Will `_get_statement` send a Parse (the statement is not in asyncpg's cache)?"""
    cache = connection._stmt_cache
    return not any(key[0] == query for key in cache._entries)


@contextmanager
def count_round_trips() -> Iterator[list[int]]:
    """Round trips every asyncpg connection of this process sends meanwhile: a simple query
    (BEGIN, COMMIT, a statement without arguments), a bound execution (of a cached or prepared
    statement), a pipelined executemany (one), and the Parse of a statement not yet prepared.
    Counted at asyncpg's Python entry points (a bench instrument, not the wire's own count)."""
    box = [0]
    patched = [
        (asyncpg.Connection, "execute", lambda _s, _q, *args: not args),
        (asyncpg.Connection, "_execute", None),
        (asyncpg.Connection, "_executemany", None),
        (asyncpg.Connection, "_get_statement", _preparing),
        (PreparedStatement, "fetch", None),
        (PreparedStatement, "fetchrow", None),
        (PreparedStatement, "fetchval", None),
        (PreparedStatement, "executemany", None),
    ]
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in patched]
    for (owner, name, when), (_, _, method) in zip(patched, originals, strict=True):
        setattr(owner, name, _counted(box, method, when))
    try:
        yield box
    finally:
        for owner, name, method in originals:
            setattr(owner, name, method)


@contextmanager
def count_publishes() -> Iterator[list[int]]:
    """Redis PUBLISH commands this process sends meanwhile."""
    box = [0]
    original = Redis.publish

    async def publish(self: Any, *args: Any, **kwargs: Any) -> Any:
        box[0] += 1
        return await original(self, *args, **kwargs)

    Redis.publish = publish  # type: ignore[method-assign,assignment]
    try:
        yield box
    finally:
        Redis.publish = original  # type: ignore[method-assign]
