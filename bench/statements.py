"""SQL statements per request, cold (empty caches) and warm, measured in process."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx

from app.foundation.db import count_statements
from app.main import create_app
from app.settings import Settings
from bench.prepare import SECRET, Fixtures
from bench.scenarios import scenarios


async def _measure(f: Fixtures) -> dict[str, dict[str, int]]:
    settings = Settings(
        database_url=f.database_url,
        secret_key=SECRET,
        media_dir=str(Path("var/bench/media")),
        in_process_workers=False,
    )
    app = create_app(settings)
    result: dict[str, dict[str, int]] = {}
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for name, requests in scenarios(f).items():
                counts = []
                for request in (
                    (requests[0], requests[0]) if name != "like_unlike" else requests[:2]
                ):
                    with count_statements() as n:
                        r = await _send(client, request)
                    assert r.status_code < 400, (name, r.status_code, r.text[:300])
                    counts.append(n[0])
                result[name] = {"cold": counts[0], "warm": counts[1]}
    return result


async def _send(client: httpx.AsyncClient, request: dict[str, Any]) -> httpx.Response:
    return await client.request(request["method"], request["path"], headers=request["headers"])


def statements_per_request(f: Fixtures) -> dict[str, dict[str, int]]:
    return asyncio.run(_measure(f))
