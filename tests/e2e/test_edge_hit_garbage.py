"""A response-cache hit leaves no reference cycle behind (the gateway's response and the request
scope no longer hold each other once answered): its objects are freed by reference counting,
not by a garbage collection every few dozen requests."""

from __future__ import annotations

import gc
from typing import Any

from app.edge.kit.gateway import _Response
from tests.e2e.conftest import Harness
from tests.e2e.test_mobile import world
from tests.e2e.test_response_cache import responses, served_twice


def _scope(path: str, token: str) -> dict[str, Any]:
    return {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "client": ("127.0.0.1", 5555), "server": ("127.0.0.1", 8000),
        "headers": [(b"host", b"testserver.local"), (b"authorization", f"OAuth {token}".encode())],
        "state": {},
    }  # fmt: skip


async def _get(app: Any, scope: dict[str, Any]) -> int:
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def test_a_hit_leaves_no_cycle_for_the_collector(harness: Harness) -> None:
    w = await world(harness)
    track_id = await w.track(w.alice)
    assert (await served_twice(w, f"/tracks/{track_id}", w.as_bob)).status_code == 200
    path = f"/mobile/tracks/{track_id}"
    assert await _get(harness.app, _scope(path, w.bob_token)) == 200
    hits = responses(harness).hits
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for _ in range(3):
            assert await _get(harness.app, _scope(path, w.bob_token)) == 200
        gc.collect()
        left = [o for o in gc.garbage if isinstance(o, _Response)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert responses(harness).hits == hits + 3
    assert left == []
