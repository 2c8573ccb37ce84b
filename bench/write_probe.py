"""Server CPU, SQL statements and wall time per write (random users, random tracks), in process.

    python -m bench.write_probe [--backend sqlite|postgres] [--size 100000] [--requests 600]
                                [--rounds 3] [--at-once 32]
                                [--only like|comment|playlist_add|follow] [--redis-url URL]
                                [--seed TEXT]

Each round builds a new app (empty caches) and sends `--requests` writes per kind, `--at-once`
in flight (so the group commit batches as under load), through the ASGI entry with a synthetic
scope (no server, no sockets): `POST /mobile/tracks/{id}/like`, `POST /mobile/tracks/{id}/comments`,
`POST /mobile/playlists/{own}/tracks` and `POST /mobile/users/{id}/follow`, each from a random
long-tail user (their token) about a random track anyone may engage with (or a random other
user) — the bench's `write_*` scenarios (the same requests
each run unless `--seed` differs: a like repeated is a no-op, so give each run of an A/B its
own seed). Prints, per round and
as medians: CPU ms per request (process time, every thread), SQL statements per request, writes
per second of wall time, and the share answered 2xx; on PostgreSQL also the database round trips
per request (every statement the process sent, batches' BEGIN, locks and COMMIT included —
counted at asyncpg's Python entry points, `bench.round_trips`) and, with `--redis-url`, the
Redis PUBLISHes per request (record-cache invalidations). The catalog is bench/prepare's. Profile it
with `py-spy record --gil -r 250 --format raw -o out.txt -- python -m bench.write_probe …` and
summarize with `python -m bench.profile_summary out.txt`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import time
from typing import Any

import msgspec

from app.foundation.db import count_statements
from app.main import create_app
from app.settings import Settings
from bench import asgi
from bench.prepare import VAR, Fixtures, prepare
from bench.round_trips import count_publishes, count_round_trips

KINDS = ("like", "comment", "playlist_add", "follow")
KEPT = 1800
"""Seconds this probe reuses the tokens and playlists it prepared (each preparation issues
1,000 tokens and makes 1,000 playlists)."""
WARM = 64
"""Writes before each round's measurement (statement compilation, pools, the callers)."""


def _scope(path: str, token: str, body: bytes) -> dict[str, Any]:
    headers = [
        (b"user-agent", b"write-probe"),
        (b"accept", b"application/json"),
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"authorization", f"OAuth {token}".encode()),
    ]
    return asgi.scope("POST", path, headers)


async def _one(app: Any, request: tuple[dict[str, Any], bytes]) -> int:
    return await asgi.status_of(app, *request)


def _requests(
    kind: str,
    n: int,
    rng: random.Random,
    tokens: list[str],
    playlists: list[int],
    tracks: list[int],
    users: tuple[list[int], list[int]],
) -> list[tuple[dict[str, Any], bytes]]:
    """`users`: the tokens' users (in their order) and everyone a follow may name."""
    followers, everyone = users
    out = []
    for _ in range(n):
        u, t = rng.randrange(len(tokens)), rng.choice(tracks)
        if kind == "follow":
            target = rng.choice(everyone)
            while target == followers[u]:
                target = rng.choice(everyone)
            path, body = f"/mobile/users/{target}/follow", b""
        elif kind == "like":
            path, body = f"/mobile/tracks/{t}/like", b""
        elif kind == "comment":
            path, body = f"/mobile/tracks/{t}/comments", b'{"timestamp_ms":30000,"body":"probe"}'
        else:
            path, body = f"/mobile/playlists/{playlists[u]}/tracks", b'{"track_ids":[%d]}' % t
        out.append((_scope(path, tokens[u], body), body))
    return out


async def _round(
    settings: Settings, requests: list[tuple[dict[str, Any], bytes]], at_once: int
) -> tuple[float, float, float, float, float, float]:
    """(CPU ms per request, statements per request, writes/s, share answered 2xx, round trips
    per request, Redis publishes per request)."""
    app = create_app(settings)
    async with app.lifespan():
        warm, measured = requests[:WARM], requests[WARM:]
        await asyncio.gather(*(_one(app, r) for r in warm))
        gate = asyncio.Semaphore(at_once)

        async def bounded(r: tuple[dict[str, Any], bytes]) -> int:
            async with gate:
                return await _one(app, r)

        with count_statements() as n, count_round_trips() as trips, count_publishes() as sent:
            cpu0, wall0 = time.process_time(), time.perf_counter()
            statuses = await asyncio.gather(*(bounded(r) for r in measured))
            cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
            await asyncio.sleep(0.05)  # (the publishes sent in the background)
    ok = sum(200 <= s < 300 for s in statuses)
    count = len(measured)
    per = (trips[0] / count, sent[0] / count)
    return cpu / count * 1e3, n[0] / count, count / wall, ok / count, *per


async def _run(args: argparse.Namespace, f: Any, tracks: list[int]) -> None:
    settings = asgi.probe_settings(f.database_url, args.redis_url)
    # (its own channels: another process's invalidations would not be this probe's cost)
    settings = msgspec.structs.replace(settings, redis_prefix=f"write-probe-{os.getpid()}")
    kinds = [args.only] if args.only else list(KINDS)
    results: dict[str, list[tuple[float, ...]]] = {k: [] for k in kinds}
    users = (f.tail_user_ids, sorted(set(f.tail_user_ids) | set(f.user_ids)))
    for r in range(args.rounds):
        for kind in kinds:
            rng = random.Random(f"{kind}-{r}{args.seed}")
            reqs = _requests(
                kind, args.requests + WARM, rng, f.tail_tokens, f.tail_playlists, tracks, users
            )
            row = await _round(settings, reqs, args.at_once)
            results[kind].append(row)
            cpu, statements, rate, ok, trips, sent = row
            print(f"round {r + 1} {kind:12s} {cpu:6.3f} ms CPU/write  {statements:5.2f} "
                  f"statements/write  {trips:5.2f} round trips/write  {sent:5.2f} publishes/write  "
                  f"{rate:6.0f} writes/s  {ok:.0%} 2xx", flush=True)  # fmt: skip
    for kind, rows in results.items():
        cpu, statements, rate, _, trips, sent = (
            statistics.median(x[i] for x in rows) for i in range(6)
        )
        print(f"median {kind:12s} {cpu:6.3f} ms CPU/write  {statements:5.2f} statements/write  "
              f"{trips:5.2f} round trips/write  {sent:5.2f} publishes/write  "
              f"{rate:6.0f} writes/s")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--at-once", type=int, default=32)
    parser.add_argument("--only", choices=KINDS)
    parser.add_argument("--redis-url", default=None)
    parser.add_argument(
        "--seed", default="", help="varies the requests (a like repeated is a no-op)"
    )
    args = parser.parse_args()
    kept = VAR / f"write-probe-{args.backend}-{args.size}.json"
    if kept.exists() and time.time() - os.path.getmtime(kept) < KEPT:
        fixtures, tracks = msgspec.json.decode(kept.read_bytes(), type=tuple[Fixtures, list[int]])
    else:
        fixtures, catalog = prepare(args.backend, args.size)
        tracks = catalog.open_track_ids
        kept.write_bytes(msgspec.json.encode((fixtures, tracks)))
    asyncio.run(_run(args, fixtures, tracks))


if __name__ == "__main__":
    main()
