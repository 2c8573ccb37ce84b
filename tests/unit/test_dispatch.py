"""The process's one prefix path: which app answers which path, and with which root_path."""

from __future__ import annotations

from typing import Any

import httpx
from litestar import Litestar, get

from app.edge.kit.dispatch import PrefixDispatcher


def _recording(name: str, seen: list[dict[str, Any]]) -> Any:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.append({"app": name, "path": scope["path"], "root_path": scope["root_path"]})
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": name.encode()})

    return app


@get("/health", sync_to_thread=False)
def health() -> str:
    return "operations"


async def test_prefixes_go_straight_to_their_bff_and_the_rest_to_operations() -> None:
    seen: list[dict[str, Any]] = []
    started: list[str] = []
    operations = Litestar([health], on_startup=[lambda: started.append("up")])
    dispatcher = PrefixDispatcher(
        operations, {"web": _recording("web", seen), "mobile": _recording("mobile", seen)}
    )
    async with dispatcher.lifespan():
        assert started == ["up"]
        transport = httpx.ASGITransport(app=dispatcher, root_path="/api")
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            assert (await client.get("/api/web/tracks/1")).text == "web"
            assert (await client.get("/api/mobile")).text == "mobile"
            assert (await client.get("/api/health")).text == "operations"
            assert (await client.get("/api/webx/tracks")).status_code == 404
            assert (await client.get("/api/")).status_code == 404
    assert seen == [
        {"app": "web", "path": "/api/web/tracks/1", "root_path": "/api/web"},
        {"app": "mobile", "path": "/api/mobile", "root_path": "/api/mobile"},
    ]
    assert dispatcher.state is operations.state and dispatcher.plugins is operations.plugins


async def test_deferred_bffs_are_built_once_on_their_first_request() -> None:
    seen: list[dict[str, Any]] = []
    built: list[str] = []

    def build(name: str) -> Any:
        built.append(name)
        return _recording(name, seen)

    dispatcher = PrefixDispatcher(
        Litestar([health]), {}, {"web": lambda: build("web"), "mobile": lambda: build("mobile")}
    )
    async with dispatcher.lifespan():
        transport = httpx.ASGITransport(app=dispatcher)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            assert (await client.get("/health")).text == "operations"
            assert built == []
            assert (await client.get("/web/tracks/1")).text == "web"
            assert (await client.get("/web/tracks/2")).text == "web"
            assert (await client.get("/nothing")).status_code == 404
            assert built == ["web"]
            assert (await client.get("/mobile/me")).text == "mobile"
            assert built == ["web", "mobile"]
    assert [s["path"] for s in seen] == ["/web/tracks/1", "/web/tracks/2", "/mobile/me"]
