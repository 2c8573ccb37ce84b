"""In-process requests for the probes: an ASGI scope as a server would build it, and one call of
the app that answers its status (no server, no client in the figures)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.settings import Settings
from bench.prepare import SECRET

UNLIMITED = 100_000_000
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


def probe_settings(database_url: str, redis_url: str | None) -> Settings:
    """The settings of an in-process probe's app: the bench catalog, rate limits lifted, media
    jobs not run in the process."""
    return Settings(
        database_url=database_url,
        redis_url=redis_url,
        secret_key=SECRET,
        media_dir=str(Path("var/bench/media")),
        in_process_workers=False,
        rate_limit_app_per_minute=UNLIMITED,
        rate_limit_user_per_minute=UNLIMITED,
        rate_limit_writes_per_minute=UNLIMITED,
    )
