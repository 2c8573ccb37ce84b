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

Request = dict[str, Any]


async def _measure(f: Fixtures, samples: dict[str, tuple[Request, Request]]) -> dict[str, Any]:
    settings = Settings(
        database_url=f.database_url,
        secret_key=SECRET,
        media_dir=str(Path("var/bench/media")),
        in_process_workers=False,
    )
    result: dict[str, dict[str, int]] = {}
    for name, pair in samples.items():
        app = create_app(settings)  # a new app each: every scenario starts with empty caches
        async with app.lifespan():
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://[::1]") as client:
                counts = []
                for request in pair:
                    with count_statements() as n:
                        r = await send(client, request)
                    assert r.status_code < 400, (name, r.status_code, r.text[:300])
                    counts.append(n[0])
        result[name] = {"cold": counts[0], "warm": counts[1]}
    return result


async def send(client: httpx.AsyncClient, request: Request) -> httpx.Response:
    return await client.request(
        request["method"],
        request["path"],
        headers=request["headers"],
        content=request.get("body"),
    )


def statements_per_request(
    f: Fixtures, samples: dict[str, tuple[Request, Request]]
) -> dict[str, dict[str, int]]:
    """Statements of the first request of each pair (caches empty) and of the second (warm:
    the same request again for reads, the next one for writes)."""
    return asyncio.run(_measure(f, samples))
