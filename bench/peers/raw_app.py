"""Peer 2: `GET /tracks/{id}` as one raw SQL query per request straight through the driver
(aiosqlite or asyncpg), the row mapped to the same JSON as the public API. Served by Litestar
like the ceiling app, so its distance to Soundstack is the data path alone. No cache.

    DATABASE_URL=... granian --interface asgi --factory bench.peers.raw_app:create_app
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections import namedtuple
from typing import Any

import aiosqlite
import asyncpg
from litestar import Litestar, get
from litestar.exceptions import NotFoundException

from bench.peers import shape

TRACK = namedtuple(  # attribute access, as bench.peers.shape reads it
    "TRACK",
    "id user_id title permalink description genre tag_list duration_ms bpm key_signature isrc "
    "license label_name purchase_url purchase_title release_date artwork_key created_at "
    "updated_at",
)
POLICY = namedtuple(
    "POLICY", "sharing territories streamable downloadable commentable monetization"
)
COUNTS = namedtuple("COUNTS", "likes reposts plays comments downloads")
USER = namedtuple(
    "USER",
    "id username permalink first_name last_name description city country plan avatar_key "
    "website website_title created_at updated_at",
)
USER_COUNTS = namedtuple(
    "USER_COUNTS",
    "followers followings public_tracks public_playlists public_likes public_playlist_likes "
    "public_reposts public_comments",
)
PARTS = (
    ("t", TRACK),
    ("p", POLICY),
    ("c", COUNTS),
    ("u", USER),
    ("uc", USER_COUNTS),
)
SQL = (
    "SELECT "
    + ", ".join(f"{alias}.{field}" for alias, kind in PARTS for field in kind._fields)
    + " FROM tracks t JOIN track_policies p ON p.track_id = t.id"
    " JOIN users u ON u.id = t.user_id"
    " LEFT JOIN track_counters c ON c.track_id = t.id"
    " LEFT JOIN user_counters uc ON uc.user_id = u.id"
    " WHERE t.id = {id} AND " + shape.VISIBLE
)
SQLITE_CONNECTIONS = 4
"""aiosqlite runs each connection in a thread of its own; a few let reads overlap."""


def _split(row: Any) -> list[Any]:
    """The row as (track, policy, counts, user, user counts); missing counter rows are None."""
    parts, start = [], 0
    for _, kind in PARTS:
        end = start + len(kind._fields)
        values = tuple(row[start:end])
        parts.append(None if values[0] is None else kind._make(values))
        start = end
    return parts


class Sqlite:
    def __init__(self, path: str) -> None:
        self.path = path
        self.connections: list[aiosqlite.Connection] = []
        self.turn = itertools.cycle(range(SQLITE_CONNECTIONS))
        self.sql = SQL.format(id="?", now="?")

    async def open(self) -> None:
        self.connections = [await aiosqlite.connect(self.path) for _ in range(SQLITE_CONNECTIONS)]

    async def close(self) -> None:
        for c in self.connections:
            await c.close()

    async def row(self, track_id: int) -> Any:
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")  # stored naive UTC
        async with self.connections[next(self.turn)].execute(self.sql, (track_id, now)) as cur:
            return await cur.fetchone()


class Postgres:
    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.pool: asyncpg.Pool | None = None
        self.sql = SQL.format(id="$1", now="$2")

    async def open(self) -> None:
        self.pool = await asyncpg.create_pool(self.dsn, min_size=4, max_size=16)

    async def close(self) -> None:
        if self.pool is not None:
            await self.pool.close()

    async def row(self, track_id: int) -> Any:
        assert self.pool is not None
        return await self.pool.fetchrow(self.sql, track_id, dt.datetime.now(dt.UTC))


def create_app() -> Litestar:
    url = os.environ["DATABASE_URL"]
    db: Sqlite | Postgres
    if url.startswith("sqlite"):
        db = Sqlite(url.split(":///", 1)[1])
    else:
        db = Postgres(url.replace("postgresql+asyncpg://", "postgresql://", 1))
    base = shape.base_url()

    @get("/tracks/{track_id:int}")
    async def get_track(track_id: int) -> dict[str, Any]:
        row = await db.row(track_id)
        if row is None:
            raise NotFoundException("track not found")
        t, policy, counts, owner, owner_counts = _split(row)
        return shape.track(t, policy, counts, owner, owner_counts, base)

    return Litestar([get_track], on_startup=[db.open], on_shutdown=[db.close], openapi_config=None)
