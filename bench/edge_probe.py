"""The edge's fixed cost per request, in process: hot reads and a write whose VAS work is cheap.

    python -m bench.edge_probe [--size 50000] [--tracks 200] [--reps 5] [--rounds 3]
                               [--kinds public,mobile,like] [--trusted CIDR,...]

Each round builds a new app with the response cache off and asks for `--tracks` tracks of
distinct owners once (so their records are cached), then `--reps` times more: `public`
`GET /public/tracks/soundcloud:tracks:{id}` with an app's token, `mobile` `GET /mobile/tracks/{id}`
and `like` `POST /mobile/tracks/{id}/like` (idempotent: a like repeated) with 40 users' tokens.
What is left is what the gateway, Litestar, the handler and the mapping cost (bench.miss_probe
measures the same reads missing every cache). `--trusted` sets TRUSTED_PROXIES, as a deployment
behind a load balancer has them. Prints CPU ms per request of each kind per round and as medians.
Run it with stderr to /dev/null; A/B two checkouts side by side (at the same time, so that the
machine's load falls on both alike), several times.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from typing import Any

import msgspec

from app.main import create_app
from bench import asgi
from bench.miss_probe import WARM, _fixtures, _scope, _tokens, _tracks_of_distinct_owners

KINDS = ("public", "mobile", "like")


def _requests(kind: str, ids: list[int], public: str, tokens: list[str]) -> list[dict[str, Any]]:
    if kind == "public":
        return [_scope(f"/public/tracks/soundcloud:tracks:{t}", public) for t in ids]
    if kind == "mobile":
        return [_scope(f"/mobile/tracks/{t}", tokens[i % len(tokens)]) for i, t in enumerate(ids)]
    return [
        {**_scope(f"/mobile/tracks/{t}/like", tokens[i % len(tokens)]), "method": "POST"}
        for i, t in enumerate(ids)
    ]


async def _round(settings: Any, kinds: list[str], ids: list[int], public: str,
                 tokens: list[str], reps: int) -> dict[str, float]:  # fmt: skip
    """CPU ms per request of each kind, on one fresh app."""
    app = create_app(settings)
    cpu: dict[str, float] = {}
    async with app.lifespan():
        for kind in kinds:
            scopes = _requests(kind, ids, public, tokens)
            statuses = {await asgi.status_of(app, {**s, "state": {}}) for s in scopes}
            if statuses != {200}:
                raise SystemExit(f"{kind}: answered {sorted(statuses)}")
            began = time.process_time()
            for _ in range(reps):
                for s in scopes:
                    await asgi.status_of(app, {**s, "state": {}})
            cpu[kind] = (time.process_time() - began) / (reps * len(scopes)) * 1e3
    return cpu


async def _run(args: argparse.Namespace) -> None:
    f = _fixtures("sqlite", args.size)
    ids = (await _tracks_of_distinct_owners(f.database_url))[: args.tracks]
    public, tokens = await _tokens(f, WARM)
    trusted = tuple(p for p in args.trusted.split(",") if p)
    settings = msgspec.structs.replace(
        asgi.probe_settings(f.database_url, None), response_cache=False, trusted_proxies=trusted
    )
    kinds = [k for k in args.kinds.split(",") if k]
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise SystemExit(f"unknown kinds {sorted(unknown)} (known: {', '.join(KINDS)})")
    rows: dict[str, list[float]] = {k: [] for k in kinds}
    for r in range(args.rounds):
        for kind, ms in (await _round(settings, kinds, ids, public, tokens, args.reps)).items():
            rows[kind].append(ms)
            print(f"round {r + 1} {kind:7s} {ms:6.3f} ms CPU/request", flush=True)
    for kind, values in rows.items():
        print(f"median {kind:7s} {statistics.median(values):6.3f} ms CPU/request")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--tracks", type=int, default=200)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--trusted", default="")
    asyncio.run(_run(parser.parse_args()))


if __name__ == "__main__":
    main()
