"""Server CPU per hot-set read answered from the edge's response cache, in process, any checkout.

    cd <checkout> && .venv/bin/python <this file> [--size 10000] [--reps 10] [--rounds 3]
                                                  [--kinds public,mobile] 2>/dev/null

The hot-set scenarios' requests (bench/scenarios.py: the catalog's hot track ids, public with the
app's token, mobile with the seeded users' tokens) asked twice each on a fresh app (so every
answer is in the response cache), then `--reps` times more, timed in process CPU: what a hit costs
the gateway, Litestar and the response cache, without a server, sockets or wrk. It uses only the
app factory, the environment and the fixtures bench.prepare writes (var/bench/sqlite-SIZE.json),
so the same file measures an older checkout (its own venv, its own prepared catalog) next to this
one: run both alternately, several times, and compare medians. Run with stderr to /dev/null (the
request lines go there).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

UNLIMITED = "100000000"


def _scope(path: str, token: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1:8000"),
            (b"user-agent", b"hit-probe"),
            (b"accept", b"application/json"),
            (b"authorization", f"OAuth {token}".encode()),
        ],
        "client": ("127.0.0.1", 5555),
        "server": ("127.0.0.1", 8000),
    }


async def _status(app: Any, scope: dict[str, Any]) -> int:
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app({**scope, "state": {}}, receive, send)
    return status


def _requests(fixtures: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    ids, tokens = fixtures["track_ids"], fixtures["user_tokens"]
    if kind == "public":
        token = fixtures["public_token"]
        return [_scope(f"/public/tracks/soundcloud:tracks:{t}", token) for t in ids]
    if kind == "mobile":
        return [_scope(f"/mobile/tracks/{t}", tokens[i % len(tokens)]) for i, t in enumerate(ids)]
    raise SystemExit(f"unknown kind {kind!r} (known: public, mobile)")


async def _round(kinds: list[str], fixtures: dict[str, Any], reps: int) -> dict[str, float]:
    from app.main import create_app  # (after the environment is set: the factory reads it)

    app = create_app()
    cpu: dict[str, float] = {}
    async with app.lifespan():
        for kind in kinds:
            scopes = _requests(fixtures, kind)
            statuses = {await _status(app, s) for _ in range(2) for s in scopes}
            if statuses != {200}:
                raise SystemExit(f"{kind}: answered {sorted(statuses)}")
            began = time.process_time()
            for _ in range(reps):
                for s in scopes:
                    await _status(app, s)
            cpu[kind] = (time.process_time() - began) / (reps * len(scopes)) * 1e3
    return cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--kinds", default="public,mobile")
    args = parser.parse_args()
    fixtures = json.loads(Path(f"var/bench/sqlite-{args.size}.json").read_text())
    os.environ.update(
        DATABASE_URL=fixtures["database_url"],
        SECRET_KEY="bench-secret-key-0123456789abcdef",
        IN_PROCESS_WORKERS="false",
        RATE_LIMIT_APP_PER_MINUTE=UNLIMITED,
        RATE_LIMIT_USER_PER_MINUTE=UNLIMITED,
        RATE_LIMIT_WRITES_PER_MINUTE=UNLIMITED,
        RATE_LIMIT_ANONYMOUS_PER_MINUTE=UNLIMITED,
    )
    kinds = [k for k in args.kinds.split(",") if k]
    rows: dict[str, list[float]] = {k: [] for k in kinds}
    for r in range(args.rounds):
        for kind, ms in asyncio.run(_round(kinds, fixtures, args.reps)).items():
            rows[kind].append(ms)
            print(f"round {r + 1} {kind:7s} {ms:6.4f} ms CPU/hit", flush=True)
    for kind, values in rows.items():
        print(f"median {kind:7s} {statistics.median(values):6.4f} ms CPU/hit")


if __name__ == "__main__":
    main()
