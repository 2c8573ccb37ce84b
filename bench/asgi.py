"""In-process requests for the probes: an ASGI scope as a server would build it, and one call of
the app that answers its status (no server, no client in the figures)."""

from __future__ import annotations

from typing import Any

Headers = list[tuple[bytes, bytes]]


def scope(method: str, path: str, headers: Headers, query: bytes = b"") -> dict[str, Any]:
    """The HTTP scope of `method path?query` from 127.0.0.1 with `headers` (host added)."""
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query,
        "headers": [(b"host", b"localhost"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


async def status_of(app: Any, request_scope: dict[str, Any], body: bytes = b"") -> int:
    """Call `app` with the scope and `body`; the status it answered."""
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(request_scope, receive, send)
    return status
