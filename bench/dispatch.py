"""Cost of the process's ASGI entry per request, in process (no server, no sockets): the app is
called with a synthetic scope, so what differs between two versions of the prefix dispatch is
all that differs in the numbers.

    python -m bench.dispatch [--requests 20000] [--rounds 5] [--factory app.main:create_app]

Prints the best round's microseconds per request for a BFF route that passes the whole gateway
(`/mobile/whoami` with a client_id), an open BFF route (`/auth/authorize`, no query: the
refusal page), a path no BFF has (`/web/nope`) and an operations route (`/health`).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from app.settings import Settings
from bench import asgi

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-dispatch-secret-0123456789abcdef"
UNLIMITED = 100_000_000


def _migrated_sqlite(directory: Path) -> str:
    url = f"sqlite+aiosqlite:///{directory / 'dispatch.db'}"
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET}
    alembic = Path(sys.executable).parent / "alembic"
    subprocess.run([str(alembic), "upgrade", "head"], cwd=ROOT, env=env, check=True)
    return url


async def _one(app: Any, path: str, query: bytes) -> int:
    request = asgi.scope("GET", path, [(b"user-agent", b"bench")], query)
    return await asgi.status_of(app, request)


async def _measure(app: Any, path: str, query: bytes, requests: int, rounds: int) -> float:
    """Best round's CPU microseconds per request (after one warm-up round): process time, so
    other processes on the machine disturb the numbers less than wall time would."""
    best = float("inf")
    for _ in range(rounds + 1):
        started = time.process_time()
        for _ in range(requests):
            await _one(app, path, query)
        best = min(best, (time.process_time() - started) / requests * 1e6)
    return best


async def _run(factory: str, requests: int, rounds: int) -> None:
    module, name = factory.split(":")
    create = getattr(importlib.import_module(module), name)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            database_url=_migrated_sqlite(Path(tmp)),
            secret_key=SECRET,
            media_dir=str(Path(tmp) / "media"),
            in_process_workers=False,
            rate_limit_app_per_minute=UNLIMITED,
            rate_limit_user_per_minute=UNLIMITED,
            rate_limit_writes_per_minute=UNLIMITED,
        )
        app = create(settings)
        async with app.lifespan():
            identity = app.state["edge"].services.identity
            made = await identity.create_app("bench-dispatch", ["mobile"], ["read"])
            client = f"client_id={made.client_id}".encode()
            cases = {
                "/mobile/whoami (gateway, client_id)": ("/mobile/whoami", client, 200),
                "/auth/authorize (open BFF route)": ("/auth/authorize", b"", 400),
                "/web/nope (no such BFF route)": ("/web/nope", b"", 404),
                "/health (operations)": ("/health", b"", 200),
            }
            for label, (path, query, expected) in cases.items():
                status = await _one(app, path, query)
                assert status == expected, (label, status)
                micros = await _measure(app, path, query, requests, rounds)
                print(f"{label:40s} {micros:8.1f} µs/request")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--factory", default="app.main:create_app")
    args = parser.parse_args()
    asyncio.run(_run(args.factory, args.requests, args.rounds))


if __name__ == "__main__":
    main()
