"""CORS per BFF (CORS_ORIGINS, CORS_ORIGINS_<BFF>): preflights need no token, allowed origins
read responses and media; the docs pages load only vendored, pinned files from this server."""

from __future__ import annotations

import hashlib
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app.edge.kit.docs import ASSETS, REDOC_ASSETS
from app.settings import SettingsError, load_settings
from tests.e2e.conftest import Harness, in_process, serving, settings_for
from tests.e2e.test_media_delivery import processed_track

FRONT = "https://front.example"
PREFLIGHT = {
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization, content-type",
}


@pytest.fixture
async def cors(sqlite_url: str, tmp_path: Path) -> AsyncIterator[Harness]:
    origins = {"*": (FRONT,), "web": ("http://localhost:3000",), "media": ("*",)}
    settings = settings_for(sqlite_url, tmp_path, cors_origins=origins)
    async with serving(in_process(settings)) as h:
        yield h


def test_settings_read_origins_for_every_bff_and_each_one() -> None:
    env = {
        "SECRET_KEY": "k" * 32,
        "CORS_ORIGINS": "https://A.example/, http://localhost:8080",
        "CORS_ORIGINS_WEB": "",
    }
    settings = load_settings(env)
    assert settings.cors_for("public") == ("https://a.example", "http://localhost:8080")
    assert settings.cors_for("web") == ()
    assert load_settings({"SECRET_KEY": "k" * 32}).cors_for("mobile") == ()
    with pytest.raises(SettingsError, match=r"CORS_ORIGINS_PUBLIC.*'https://x\.example/path'"):
        load_settings({"SECRET_KEY": "k" * 32, "CORS_ORIGINS_PUBLIC": "https://x.example/path"})


async def test_preflight_needs_no_token_and_names_only_allowed_origins(cors: Harness) -> None:
    c = cors.client
    ok = await c.options("/public/me", headers={"Origin": FRONT, **PREFLIGHT})
    assert ok.status_code == 204, ok.text
    assert ok.headers["access-control-allow-origin"] == FRONT
    assert "POST" in ok.headers["access-control-allow-methods"]
    assert ok.headers["access-control-allow-headers"] == "authorization, content-type"
    assert "origin" in ok.headers["vary"]

    other = await c.options("/public/me", headers={"Origin": "https://evil.example", **PREFLIGHT})
    assert other.status_code == 204 and "access-control-allow-origin" not in other.headers
    web = await c.options("/web/me", headers={"Origin": FRONT, **PREFLIGHT})
    assert "access-control-allow-origin" not in web.headers  # CORS_ORIGINS_WEB replaces it
    local = await c.options("/web/me", headers={"Origin": "http://localhost:3000", **PREFLIGHT})
    assert local.headers["access-control-allow-origin"] == "http://localhost:3000"


async def test_allowed_origins_read_answers_and_errors(cors: Harness) -> None:
    app, _ = await cors.new_app("Front")
    c = cors.client
    read = await c.get(
        "/public/tracks", params={"client_id": app.client_id}, headers={"Origin": FRONT}
    )
    assert read.status_code == 200 and read.headers["access-control-allow-origin"] == FRONT
    assert "x-request-id" in read.headers["access-control-expose-headers"]
    assert read.headers["cross-origin-resource-policy"] == "cross-origin"
    refused = await c.get("/public/me", headers={"Origin": FRONT})
    assert refused.status_code == 401 and refused.headers["access-control-allow-origin"] == FRONT
    stranger = await c.get(
        "/public/tracks",
        params={"client_id": app.client_id},
        headers={"Origin": "https://evil.example"},
    )
    assert "access-control-allow-origin" not in stranger.headers
    assert stranger.headers["cross-origin-resource-policy"] == "same-site"


async def test_media_is_readable_cross_origin(cors: Harness) -> None:
    owner, track_id = await processed_track(cors)
    grants = await cors.services.tracks.streams(cors.viewer(owner), track_id)
    url = next(g.url for g in grants if g.kind == "progressive")
    got = await cors.client.get(
        url, headers={"Origin": "https://player.example", "Range": "bytes=0-9"}
    )
    assert got.status_code == 206 and got.headers["access-control-allow-origin"] == "*"
    assert got.headers["cross-origin-resource-policy"] == "cross-origin"


@pytest.mark.parametrize("bff", ["mobile", "web", "public", "partner", "rest", "auth", "media"])
async def test_docs_pages_load_only_vendored_files(sqlite_harness: Harness, bff: str) -> None:
    """Swagger UI (/schema) and ReDoc (/schema/redoc); Litestar's CDN pages are not served."""
    c = sqlite_harness.client
    for docs in ("schema", "schema/redoc"):
        page = await c.get(f"/{bff}/{docs}")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        csp = page.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        urls = re.findall(r'(?:src|href|data-spec|spec-url)="([^"]+)"', page.text)
        assert urls and all(u.startswith(f"/{bff}/schema/") for u in urls), urls
        assert "<script>" not in page.text  # nothing inline: CSP allows our files only
        for url in urls:
            got = await c.get(url)
            assert got.status_code == 200, url
    for name, folder in (("swagger-ui-bundle.js", ASSETS), ("redoc.standalone.js", REDOC_ASSETS)):
        bundle = await c.get(f"/{bff}/schema/assets/{name}")
        pinned = (folder / "README.md").read_text()
        assert hashlib.sha256(bundle.content).hexdigest() in pinned
    for cdn_page in ("elements", "rapidoc"):
        assert (await c.get(f"/{bff}/schema/{cdn_page}")).status_code == 404
