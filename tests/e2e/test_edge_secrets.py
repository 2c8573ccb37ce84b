"""Nothing secret leaves the edge (issue 12, item 9): no credential in any log line (our request
line, the process's structlog output), `/ready` names the failing dependency but never its
exception text, and absolute links never reflect a Host the server does not answer for."""

from __future__ import annotations

import io
import json
import logging
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.edge.kit.logs import RequestIdFilter, install_request_id_logging
from app.settings import DEFAULT_ALLOWED_HOSTS, Settings
from tests.e2e.conftest import Harness, in_process, serving, settings_for
from tests.factories import make_track

SECRETS = {
    "oauth_token": "tok-1a2b3c4d5e6f",
    "access_token": "acc-9z8y7x6w",
    "client_secret": "cs-0011223344",
    "password": "pw-hunter2-horse",
    "secret_token": "s-PrIvAtE77",
    "code": "code-55aa66bb",
    "refresh_token": "ref-77cc88dd",
}


@pytest.fixture
def process_log() -> Iterator[io.StringIO]:
    """What the process's own log handler (installed by create_app: request ids, the one
    structlog format, redaction) writes, captured instead of stderr."""
    install_request_id_logging()  # (what create_app does first; idempotent)
    ours = [
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.StreamHandler)
        and any(isinstance(f, RequestIdFilter) for f in h.filters)
    ]
    assert ours, "create_app installs the process's log handler"
    handler: logging.StreamHandler[Any] = ours[0]
    out = io.StringIO()
    previous = handler.setStream(out)
    try:
        yield out
    finally:
        handler.setStream(previous)  # type: ignore[arg-type]


async def test_no_credential_reaches_our_request_line_or_the_process_log(
    harness: Harness, process_log: io.StringIO
) -> None:
    h = harness
    app, _ = await h.new_app("leaky")
    await make_track(h.services.deps.db, await h.new_user("owner"))
    r = await h.client.get("/public/tracks", params={"client_id": app.client_id, **SECRETS})
    assert r.status_code in (200, 401), r.text
    # what other code logs: arguments of any type, exceptions, URLs with passwords
    log = logging.getLogger("app.some.module")
    log.warning("connecting to %s", httpx.URL("redis://:redis-pw-321@cache:6379/0"))
    log.warning("options %s", {"password": SECRETS["password"], "n": 1})
    log.warning("dsn %r", "postgresql+asyncpg://soundstack:pg-pw-654@db:5432/soundstack")
    try:
        raise ConnectionError(f"cannot reach postgres://u:pg-pw-987@db/x?oauth_token={'t' * 9}")
    except ConnectionError:
        log.exception("failed with Bearer %s", "bearer-abc123")
    text = process_log.getvalue()
    lines = [line for line in text.splitlines() if line.strip()]
    request_lines = [line for line in lines if "GET /public/tracks" in line]
    assert request_lines, text  # our request line, in the process's format
    for line in request_lines:
        record = json.loads(line) if line.startswith("{") else {}
        assert not record or record["route"] == "/tracks"
    for leaked in (*SECRETS.values(), "redis-pw-321", "pg-pw-654", "pg-pw-987", "t" * 9):
        assert leaked not in text, leaked
    assert "bearer-abc123" not in text
    assert "[redacted]" in text and "redis://:[redacted]@cache:6379/0" in text
    assert "ConnectionError" in text  # (the exception is there, without its password)


async def _ready(settings: Settings) -> httpx.Response:
    async with serving(in_process(settings)) as h:
        return await h.client.get("/ready")


async def test_ready_names_the_dependency_never_its_exception(
    tmp_path: Path, process_log: io.StringIO
) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"postgresql+asyncpg://nobody:pg-secret-42@127.0.0.1:{port}/soundstack"
    r = await _ready(settings_for(url, tmp_path))
    assert r.status_code == 503
    assert r.json() == {"status": "unavailable", "reason": "database unreachable"}
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not an SQLite database file" * 100)
    r = await _ready(settings_for(f"sqlite+aiosqlite:///{garbage}", tmp_path))
    assert r.status_code == 503
    assert r.json() == {"status": "unavailable", "reason": "database unreachable"}
    logged = process_log.getvalue()
    assert "database unreachable" in logged  # the operator learns why, in the log
    assert "pg-secret-42" not in logged


async def _two_tracks(h: Harness) -> str:
    app, _ = await h.new_app("linker")
    owner = await h.new_user("linked")
    for title in ("one", "two"):
        await make_track(h.services.deps.db, owner, title=title)
    return app.client_id


def _page(client_id: str) -> dict[str, Any]:
    return {"client_id": client_id, "linked_partitioning": "true", "limit": 1}


@pytest.fixture
async def default_hosts(sqlite_url: str, tmp_path: Path) -> AsyncIterator[Harness]:
    """BASE_URL and ALLOWED_HOSTS unset: a local install's defaults."""
    settings = settings_for(sqlite_url, tmp_path, allowed_hosts=None)
    assert settings.base_url is None and settings.hosts_answered == DEFAULT_ALLOWED_HOSTS
    async with serving(in_process(settings)) as h:
        yield h


async def test_a_crafted_host_is_refused_not_reflected(default_hosts: Harness) -> None:
    h = default_hosts
    client_id = await _two_tracks(h)
    evil = {"Host": "evil.example"}
    paths = ["/public/tracks"] + [f"/{bff}/whoami" for bff in ("web", "mobile", "partner", "auth")]
    for path in paths:
        r = await h.client.get(path, params=_page(client_id), headers=evil)
        assert r.status_code == 400, (path, r.status_code, r.text)
        assert "evil.example" not in r.text
        assert "invalid_host" in r.text or path.startswith("/auth")  # (OAuth's own codes)
        assert "Host header" in r.text
    page = await h.client.get("/", headers=evil)
    assert page.status_code == 400 and page.json()["reason"] == "invalid_host"
    assert (await h.client.get("/health", headers=evil)).status_code == 200
    for host, root in (("localhost:8000", "http://localhost:8000"), ("[::1]", "http://[::1]")):
        r = await h.client.get("/public/tracks", params=_page(client_id), headers={"Host": host})
        assert r.status_code == 200, r.text
        assert r.json()["next_href"].startswith(f"{root}/public/tracks?")
        assert r.json()["collection"][0]["uri"].startswith(f"{root}/public/tracks/")


async def test_base_url_is_always_the_root_of_links(sqlite_url: str, tmp_path: Path) -> None:
    settings = settings_for(
        sqlite_url, tmp_path, base_url="https://music.example.org", allowed_hosts=None
    )
    async with serving(in_process(settings)) as h:
        client_id = await _two_tracks(h)
        for host in ("evil.example", "testserver.local"):
            r = await h.client.get(
                "/public/tracks", params=_page(client_id), headers={"Host": host}
            )
            assert r.status_code == 200, r.text
            body = r.json()
            assert body["next_href"].startswith("https://music.example.org/public/tracks?")
            track = body["collection"][0]
            assert track["uri"].startswith("https://music.example.org/public/tracks/")
            assert host not in r.text


async def test_allowed_hosts_with_subdomains(sqlite_url: str, tmp_path: Path) -> None:
    settings = settings_for(sqlite_url, tmp_path, allowed_hosts=(".example.org",))
    async with serving(in_process(settings)) as h:
        client_id = await _two_tracks(h)
        for host, status in (
            ("api.example.org", 200),
            ("example.org:8443", 200),
            ("example.org.evil.example", 400),
            ("localhost", 400),
            ("bad host", 400),
        ):
            r = await h.client.get(
                "/public/tracks", params=_page(client_id), headers={"Host": host}
            )
            assert r.status_code == status, (host, r.text)
            if status == 200:
                assert r.json()["next_href"].startswith(f"http://{host}/public/tracks?")
