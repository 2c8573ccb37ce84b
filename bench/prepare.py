"""Prepare a benchmark catalog: migrate, seed N tracks with the CLI, and create bench fixtures.

A seeded catalog is kept in var/bench/ with its fixtures (apps, the hot-set's users and ids, the
long-tail scenarios' users) and reused by later runs; each run issues fresh tokens and gives
every long-tail user a new private playlist to add tracks to (so add-to-playlist costs the same
in every run instead of growing with the playlists).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TypeVar

import msgspec

from app.value_added.access import Viewer
from app.value_added.common.fieldmask import FieldMask
from app.value_added.playlists import PlaylistDraft
from app.value_added.registry import build_services
from app.value_added.tracks import TrackQuery
from bench.catalog import Catalog, read_catalog

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
VAR = ROOT / "var" / "bench"
SECRET = "bench-secret-key-0123456789abcdef"
SEARCH_CANDIDATES = (
    "midnight echo", "golden river", "neon signal", "midnight vinyl", "electric dance",
    "velvet night", "summer remix", "lunar deep", "crystal vocal", "wild live",
)  # fmt: skip


T = TypeVar("T")
R = TypeVar("R")
TAIL_USERS = 1000
"""Seeded users whose tokens the long-tail scenarios pick from at random, one per request."""


class Fixtures(msgspec.Struct):
    database_url: str
    tracks: int
    mobile_client_id: str
    web_client_id: str
    public_token: str
    user_tokens: list[str]
    track_ids: list[int]
    playlist_id: int
    search_query: str
    search_fraction: float
    user_ids: list[int] = []
    public_client_id: str = ""
    tail_user_ids: list[int] = []
    tail_tokens: list[str] = []
    """This run's tokens of `tail_user_ids` (not kept between runs)."""
    tail_playlists: list[int] = []
    """This run's private playlist of each tail user, for add-to-playlist."""


def database_url(backend: str, size: int) -> str:
    if backend == "sqlite":
        return f"sqlite+aiosqlite:///{VAR}/sqlite-{size}.db"
    return f"postgresql+asyncpg://postgres@127.0.0.1:5432/soundstack_bench_{size}"


def _run(args: list[str], url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET}
    subprocess.run(args, cwd=ROOT, env=env, check=True)


def _create_pg_database(name: str) -> None:
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c"]
    subprocess.run([*psql, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], check=True)
    subprocess.run([*psql, f'CREATE DATABASE "{name}"'], check=True)


def seed(backend: str, size: int) -> str:
    url = database_url(backend, size)
    VAR.mkdir(parents=True, exist_ok=True)
    if backend == "sqlite":
        Path(url.split("///", 1)[1]).unlink(missing_ok=True)
    else:
        _create_pg_database(url.rsplit("/", 1)[1])
    _run([str(BIN / "alembic"), "upgrade", "head"], url)
    counts = {
        "--users": max(size // 10, 300),
        "--tracks": size,
        "--playlists": max(size // 100, 10),
        "--likes": size,
        "--follows": size // 2,
        "--comments": size // 10,
        "--plays": size,
    }
    args = [str(BIN / "litestar"), "seed"]
    for flag, value in counts.items():
        args += [flag, str(value)]
    _run(args, url)
    return url


async def make_fixtures(url: str, size: int) -> Fixtures:
    services = build_services(url, SECRET)
    try:
        ident = services.identity
        apps = {}
        for bff in ("mobile", "web", "public"):
            created = await ident.create_app(f"bench-{bff}", [bff], ["read", "write"])
            apps[bff] = await ident.app_by_client_id(created.client_id)
        users = []
        for i in range(200):
            user = await ident.create_user(f"bench{i}", "bench password 123", country="DE")
            users.append(user.id)
        tokens = [(await ident.issue_for_user(apps["mobile"], u)).access_token for u in users]  # type: ignore[arg-type]
        public_token = (await ident.issue_client_credentials(apps["public"])).access_token  # type: ignore[arg-type]
        viewer = Viewer(user_id=None, app_id=None, territory="DE", plan="free")
        rng = random.Random(7)
        async with services.deps.db.read() as uow:  # (ids start where the sequences do)
            seeded = [track for track, _, _ in await uow.tracks.owners_and_durations()]
        candidates = rng.sample(seeded, min(len(seeded), 3000))
        visible = await services.tracks.get_many(viewer, candidates, FieldMask.parse("title"))
        track_ids = [t.id for t in visible][:1000]
        owner = Viewer(user_id=users[0], app_id=apps["mobile"].id, territory="DE", plan="free")  # type: ignore[union-attr]
        playlist = await services.playlists.create(
            owner, PlaylistDraft(title="Bench 100", track_ids=tuple(track_ids[:100]))
        )
        query, fraction = await _search_query(services, viewer, size)
    finally:
        await services.close()
    return Fixtures(
        database_url=url,
        tracks=size,
        mobile_client_id=apps["mobile"].client_id,  # type: ignore[union-attr]
        web_client_id=apps["web"].client_id,  # type: ignore[union-attr]
        public_token=public_token,
        user_tokens=tokens,
        track_ids=track_ids,
        playlist_id=playlist.id,
        search_query=query,
        search_fraction=fraction,
        user_ids=users,
        public_client_id=apps["public"].client_id,  # type: ignore[union-attr]
    )


async def _each(items: Sequence[T], make: Callable[[T], Awaitable[R]], at_once: int) -> list[R]:
    """make(item) for every item, `at_once` at a time, results in order."""
    gate = asyncio.Semaphore(at_once)

    async def one(item: T) -> R:
        async with gate:
            return await make(item)

    return list(await asyncio.gather(*(one(i) for i in items)))


async def for_this_run(fixtures: Fixtures, playlist_tracks: list[int]) -> Fixtures:
    """The fixtures with newly issued access tokens (those of an earlier run expire) and a new
    private playlist for each long-tail user, holding `playlist_tracks`."""
    services = build_services(fixtures.database_url, SECRET)
    at_once = 1 if fixtures.database_url.startswith("sqlite") else 8  # (one writer on SQLite)
    try:
        ident = services.identity
        mobile = await ident.app_by_client_id(fixtures.mobile_client_id)
        public = await ident.app_by_client_id(fixtures.public_client_id)
        assert mobile is not None and public is not None
        draft = PlaylistDraft(
            title="Bench adds", sharing="private", track_ids=tuple(playlist_tracks)
        )

        async def token(user: int) -> str:
            return (await ident.issue_for_user(mobile, user)).access_token

        async def playlist(user: int) -> int:
            owner = Viewer(user_id=user, app_id=mobile.id, territory=None, plan="free")
            return (await services.playlists.create(owner, draft)).id

        tokens = await _each(fixtures.user_ids, token, at_once)
        public_token = (await ident.issue_client_credentials(public)).access_token
        tail_tokens = await _each(fixtures.tail_user_ids, token, at_once)
        playlists = await _each(fixtures.tail_user_ids, playlist, at_once)
    finally:
        await services.close()
    return msgspec.structs.replace(
        fixtures,
        user_tokens=tokens,
        public_token=public_token,
        tail_tokens=tail_tokens,
        tail_playlists=playlists,
    )


async def _search_query(services: object, viewer: Viewer, size: int) -> tuple[str, float]:
    """The candidate query whose matches are closest to 1% of the catalog. The generator draws
    words uniformly, so the fraction does not depend on the catalog size: large catalogs are
    measured on their first 20,000 tracks' worth of matches (the cap below)."""
    best = ("midnight echo", 1.0)
    candidates = SEARCH_CANDIDATES if size <= 20_000 else ("crystal vocal",)
    for query in candidates:
        matches, cursor = 0, None
        cap = int(min(size, 20_000) * 0.03) if size <= 20_000 else int(size * 0.02)
        while matches <= cap:
            page = await services.tracks.search(  # type: ignore[attr-defined]
                viewer,
                TrackQuery(text=query, access=frozenset({"playable", "preview", "blocked"})),
                FieldMask.parse("title"),
                cursor,
                200,
            )
            matches += len(page.items)
            cursor = page.next_cursor
            if cursor is None:
                break
        fraction = matches / size
        if abs(fraction - 0.01) < abs(best[1] - 0.01):
            best = (query, fraction)
    return best


def prepare(backend: str, size: int, reuse: bool = True) -> tuple[Fixtures, Catalog]:
    """The catalog of `size` tracks on `backend` (seeded unless kept from an earlier run), its
    fixtures ready for this run, and what the long-tail scenarios draw from."""
    path = VAR / f"{backend}-{size}.json"
    fixtures = None
    if reuse and path.exists():
        kept = msgspec.json.decode(path.read_bytes(), type=Fixtures)
        if kept.user_ids and kept.public_client_id:  # (else: from an older bench, seed anew)
            fixtures = kept
    if fixtures is None:
        url = seed(backend, size)
        fixtures = asyncio.run(make_fixtures(url, size))
    catalog = read_catalog(fixtures.database_url)
    if not fixtures.tail_user_ids:  # (fixtures of an older bench: add the long-tail users)
        seeded = sorted(set(catalog.user_ids) - set(fixtures.user_ids))
        chosen = random.Random(3).sample(seeded, min(TAIL_USERS, len(seeded)))
        fixtures = msgspec.structs.replace(fixtures, tail_user_ids=chosen)
    path.write_bytes(
        msgspec.json.encode(msgspec.structs.replace(fixtures, tail_tokens=[], tail_playlists=[]))
    )
    return asyncio.run(for_this_run(fixtures, catalog.open_track_ids[:5])), catalog


if __name__ == "__main__":
    f, _ = prepare(sys.argv[1], int(sys.argv[2]), reuse=False)
    print(json.dumps({"query": f.search_query, "fraction": f.search_fraction}))
