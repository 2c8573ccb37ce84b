"""Server CPU and SQL statements per request of a track read that misses every cache, in process.

    python -m bench.miss_probe [--backend sqlite|postgres] [--size 50000] [--requests 400]
                               [--rounds 3] [--only public|mobile|mobile-warm|mobile-zipf]
                               [--concurrency 1] [--uvloop] [--redis-url redis://…]

Each round builds a new app (empty response, record and principal caches) and reads tracks of
distinct owners, each asked once (the same tracks every round), through the ASGI entry with a
synthetic scope (no server, no sockets, no HTTP client): public
`GET /public/tracks/soundcloud:tracks:{id}` with an app's client-credentials token, and mobile
`GET /mobile/tracks/{id}` with a different user's token each request (or, `mobile-warm`, one
of a few viewers already known; or, `mobile-zipf`, the long tail's Zipf scenario in steady
state: track ids drawn Zipf(1.1) from every visible track, each request a random one of the
tail users, `--zipf-warm` requests before the `--requests` measured). `--concurrency N` keeps
N requests in flight (as a server worker under load does: the event loop is then never idle,
and what a request holds while it waits is held longer), `--uvloop` runs them on uvloop (the
servers' loop). Prints, per round and as medians: CPU ms per request (process time, every
thread: the SQLite driver's included), SQL statements per request, and the share of responses
that were 200. The catalog is bench/prepare's (seeded once into var/bench/ and
kept). Run it with stderr to /dev/null (the request lines go there, as in production, in the
JSON format). Profile it with `py-spy record --gil -r 250 --format raw -o out.txt -- python
-m bench.miss_probe …` and summarize with `python -m bench.profile_summary out.txt`.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import time
from typing import Any

import msgspec
import uvloop
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from app.foundation.db import count_statements
from app.main import create_app
from app.settings import Settings
from app.value_added.registry import build_services
from bench import asgi, draws
from bench.catalog import _VISIBLE
from bench.prepare import SECRET, VAR, Fixtures, prepare

KINDS = ("public", "mobile", "mobile-warm", "mobile-zipf")
"""public: an app's token; mobile: a different user's token each request (the caller and the
viewer's likes, reposts and followings never read before); mobile-warm: 40 users' tokens in
turn, known from the warm-up (the long tail's usual miss: only the track and owner are new);
mobile-zipf: bench/tail.py's mobile_track_zipf (popular tracks mostly cached, each request one
of the tail users), measured after a warm-up of its own."""
WARM = 40
"""Requests before each round's measurement (statement compilation, pools), on other tracks."""


async def _tracks_of_distinct_owners(url: str) -> list[int]:
    """One visible, unrestricted track per owner (so no owner is read twice in a round)."""
    engine = create_async_engine(url)
    now = dt.datetime.now(dt.UTC)
    if url.startswith("sqlite"):
        now = now.replace(tzinfo=None)
    sql = _VISIBLE.format(extra="AND p.territories IS NULL")
    sql = f"SELECT min(t.id) FROM tracks t WHERE t.id IN ({sql}) GROUP BY t.user_id"
    try:
        async with engine.connect() as conn:
            ids = [r[0] for r in await conn.execute(text(sql), {"now": now})]
    finally:
        await engine.dispose()
    return sorted(ids)


async def _tokens(f: Fixtures, count: int) -> tuple[str, list[str]]:
    """A public client-credentials token and `count` distinct users' mobile tokens."""
    services = build_services(f.database_url, SECRET)
    try:
        ident = services.identity
        public = await ident.app_by_client_id(f.public_client_id)
        mobile = await ident.app_by_client_id(f.mobile_client_id)
        assert public is not None and mobile is not None
        public_token = (await ident.issue_client_credentials(public)).access_token
        users = f.tail_user_ids[:count]
        tokens = [(await ident.issue_for_user(mobile, u)).access_token for u in users]
    finally:
        await services.close()
    return public_token, tokens


async def _zipf_draws(url: str, count: int, users: int) -> list[tuple[int, int]]:
    """(track id, user index) of bench/tail.py's Zipf scenario: ranks over the visible tracks in
    the same popularity order (seed 13), a random user each; the same draws every round."""
    engine = create_async_engine(url)
    now = dt.datetime.now(dt.UTC)
    if url.startswith("sqlite"):
        now = now.replace(tzinfo=None)
    try:
        async with engine.connect() as conn:
            sql = text(_VISIBLE.format(extra=""))
            visible = [r[0] for r in await conn.execute(sql, {"now": now})]
    finally:
        await engine.dispose()
    popular = draws.ranked(visible, seed=13)
    rng = random.Random(113)
    ranks = draws.zipf(len(popular))(rng, count)
    return [(popular[r], int(rng.random() * users)) for r in ranks]


def _fixtures(backend: str, size: int) -> Fixtures:
    path = VAR / f"{backend}-{size}.json"
    if path.exists():
        kept = msgspec.json.decode(path.read_bytes(), type=Fixtures)
        if kept.tail_user_ids and kept.public_client_id:
            return kept
    return prepare(backend, size)[0]


def _scope(path: str, token: str) -> dict[str, Any]:
    headers = [
        (b"user-agent", b"miss-probe"),
        (b"accept", b"application/json"),
        (b"authorization", f"OAuth {token}".encode()),
    ]
    return asgi.scope("GET", path, headers)


def _requests(kind: str, ids: list[int], public: str, tokens: list[str]) -> list[dict[str, Any]]:
    if kind == "public":
        return [_scope(f"/public/tracks/soundcloud:tracks:{t}", public) for t in ids]
    if kind == "mobile-warm":  # (the warm-up's viewers: their token and sets cached)
        tokens = tokens[-WARM:]
    return [_scope(f"/mobile/tracks/{t}", tokens[i % len(tokens)]) for i, t in enumerate(ids)]


async def _round(
    settings: Settings,
    warm: list[dict[str, Any]],
    measured: list[dict[str, Any]],
    concurrency: int = 1,
) -> tuple[float, float, float]:
    """(CPU ms per request, statements per request, share answered 200) of one fresh app:
    the `warm` requests, then the `measured` ones."""
    app = create_app(settings)
    async with app.lifespan():
        for scope in warm:
            await asgi.status_of(app, scope)
        scopes = iter(measured)
        statuses: list[int] = []

        async def send() -> None:
            for scope in scopes:  # (the senders share one iterator: each request sent once)
                statuses.append(await asgi.status_of(app, scope))

        with count_statements() as n:
            started = time.process_time()
            await asyncio.gather(*(send() for _ in range(concurrency)))
            cpu = time.process_time() - started
    count = len(statuses)
    return cpu / count * 1e3, n[0] / count, statuses.count(200) / count


async def _run(args: argparse.Namespace, f: Fixtures) -> None:
    kinds = [args.only] if args.only else list(KINDS)
    owners = await _tracks_of_distinct_owners(f.database_url)
    per_round = args.requests + WARM
    if len(owners) < per_round:
        raise SystemExit(f"{len(owners)} owners: too few for {per_round} requests")
    wanted = per_round if kinds != ["mobile-zipf"] else 0
    if "mobile-zipf" in kinds:
        wanted = max(wanted, len(f.tail_user_ids))
    public, tokens = await _tokens(f, min(len(f.tail_user_ids), wanted))
    if len(tokens) < wanted:
        raise SystemExit(f"{len(tokens)} users: too few distinct viewers")
    zipf: list[tuple[int, int]] = []
    if "mobile-zipf" in kinds:
        zipf = await _zipf_draws(f.database_url, args.zipf_warm + args.requests, len(tokens))
    settings = asgi.probe_settings(f.database_url, args.redis_url)
    results: dict[str, list[tuple[float, float, float]]] = {k: [] for k in kinds}
    for r in range(args.rounds):
        ids = owners[:per_round]  # (the same each round: each round's app starts empty)
        for kind in kinds:
            if kind == "mobile-zipf":
                scopes = [_scope(f"/mobile/tracks/{t}", tokens[u]) for t, u in zipf]
                warm, measured = scopes[: args.zipf_warm], scopes[args.zipf_warm :]
            else:
                viewers = tokens[:per_round]
                warm = _requests(kind, ids[:WARM], public, viewers[-WARM:])
                measured = _requests(kind, ids[WARM:], public, viewers)
            cpu, statements, ok = await _round(settings, warm, measured, args.concurrency)
            results[kind].append((cpu, statements, ok))
            print(f"round {r + 1} {kind:11s} {cpu:6.3f} ms CPU/request  "
                  f"{statements:5.2f} statements/request  {ok:.0%} 200", flush=True)  # fmt: skip
    for kind, rows in results.items():
        cpu = statistics.median(x[0] for x in rows)
        statements = statistics.median(x[1] for x in rows)
        print(f"median {kind:11s} {cpu:6.3f} ms CPU/request  {statements:5.2f} statements/request")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", choices=KINDS)
    parser.add_argument("--redis-url", default=None)
    parser.add_argument("--concurrency", type=int, default=1, help="requests in flight")
    parser.add_argument("--uvloop", action="store_true", help="run on uvloop")
    parser.add_argument(
        "--zipf-warm", type=int, default=4000, help="mobile-zipf: requests before measuring"
    )
    args = parser.parse_args()
    fixtures = _fixtures(
        args.backend, args.size
    )  # (seeds the catalog first if need be: its own loops)
    if args.uvloop:
        uvloop.run(_run(args, fixtures))
    else:
        asyncio.run(_run(args, fixtures))


if __name__ == "__main__":
    main()
