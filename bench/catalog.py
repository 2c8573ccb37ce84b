"""What the long-tail scenarios draw from, read once from a seeded catalog with plain SQL."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import re

import msgspec
from sqlalchemy import bindparam, text
from sqlalchemy.ext.asyncio import create_async_engine

SEARCH_SAMPLE = 3000
"""Tracks whose titles, tags and genres make up the search vocabulary."""
_VISIBLE = (
    "SELECT t.id FROM tracks t JOIN track_policies p ON p.track_id = t.id "
    "WHERE p.sharing = 'public' AND p.taken_down_at IS NULL "
    "AND (p.release_at IS NULL OR p.release_at <= :now) {extra} ORDER BY t.id"
)


class Catalog(msgspec.Struct, frozen=True):
    visible_track_ids: list[int]
    """Tracks anyone may see: public, released, not taken down (what a uniform read draws)."""
    open_track_ids: list[int]
    """Visible tracks without territory restrictions: anyone signed in may like, comment on or
    add them (the bench sends no territory, so a restricted track's access is 'blocked')."""
    public_playlist_ids: list[int]
    user_ids: list[int]
    search_queries: list[str]
    """Distinct queries made of words of the catalog's own titles, tags and genres."""


def _queries(rows: list[tuple[str, str, str]], seed: int) -> list[str]:
    """One- and two-word queries from sampled tracks: each matches at least its own track."""
    rng = random.Random(seed)
    queries: set[str] = set()
    for title, tags, genre in rows:
        words = re.findall(r"[a-z]+", f"{title} {tags}".lower())
        if not words:
            continue
        queries.add(rng.choice(words))
        if len(words) > 1:
            queries.add(" ".join(rng.sample(words, 2)))
        if genre.isalpha():
            queries.add(f"{genre.lower()} {rng.choice(words)}")
    return sorted(queries)


async def _read(url: str) -> Catalog:
    engine = create_async_engine(url)
    now = dt.datetime.now(dt.UTC)
    if url.startswith("sqlite"):
        now = now.replace(tzinfo=None)  # SQLite stores naive UTC timestamps
    try:
        async with engine.connect() as conn:

            async def ids(sql: str, **params: object) -> list[int]:
                return [r[0] for r in await conn.execute(text(sql), params)]

            visible = await ids(_VISIBLE.format(extra=""), now=now)
            open_ids = await ids(_VISIBLE.format(extra="AND p.territories IS NULL"), now=now)
            playlists = await ids("SELECT id FROM playlists WHERE sharing = 'public' ORDER BY id")
            users = await ids("SELECT id FROM users ORDER BY id")
            sample = random.Random(5).sample(visible, min(SEARCH_SAMPLE, len(visible)))
            words_of = text("SELECT title, tag_list, genre FROM tracks WHERE id IN :ids")
            rows = await conn.execute(
                words_of.bindparams(bindparam("ids", expanding=True)), {"ids": sample}
            )
            words = [(r[0], r[1], r[2]) for r in rows]
    finally:
        await engine.dispose()
    return Catalog(visible, open_ids, playlists, users, _queries(words, 5))


def read_catalog(url: str) -> Catalog:
    return asyncio.run(_read(url))
