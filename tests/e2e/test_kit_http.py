"""Kit over HTTP: header hygiene, request ids, ETags and caching, quirks, links and errors."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from app.edge.kit.logs import RequestIdFilter
from tests.e2e.test_kit_harness import STATUS, Kit, kit, serve, spec

__all__ = ["kit"]

INTERNAL = {
    "X-Internal-Debug": "1",
    "X-User-Id": "1",
    "X-Forwarded-For": "1.2.3.4",
    "X-Soundstack-Territory": "us",
}


@pytest.fixture
async def proxied(sqlite_url: str, tmp_path: Path) -> AsyncIterator[Kit]:
    """The test BFF behind a trusted proxy (the test client's peer) and a configured BASE_URL."""
    settings = {"trusted_proxies": ("testclient", "127.0.0.0/8"), "base_url": "https://api.example"}
    async for (client,), ctx, clock in serve(sqlite_url, tmp_path, spec(), **settings):
        yield Kit(client=client, ctx=ctx, clock=clock)


async def test_internal_headers_dropped_for_untrusted_peers(kit: Kit) -> None:
    app = await kit.new_app("widget")
    r = await kit.client.get(
        "/headers",
        params={"client_id": app.client_id},
        headers=INTERNAL | {"Connection": "close, x-custom", "X-Custom": "hop", "TE": "trailers"},
    )
    seen = r.json()["headers"]
    assert not {"x-internal-debug", "x-user-id", "x-forwarded-for", "x-soundstack-territory"} & set(
        seen
    )
    assert not {"connection", "te", "x-custom"} & set(seen)
    who = await kit.client.get("/whoami", params={"client_id": app.client_id}, headers=INTERNAL)
    assert who.json()["territory"] is None


async def test_internal_headers_honoured_from_trusted_proxy(proxied: Kit) -> None:
    app = await proxied.new_app("widget")
    user = await proxied.new_user("alice", country="DE")
    r = await proxied.client.get("/headers", params={"client_id": app.client_id}, headers=INTERNAL)
    assert {"x-internal-debug", "x-user-id", "x-forwarded-for"} <= set(r.json()["headers"])
    who = await proxied.client.get("/whoami", params={"client_id": app.client_id}, headers=INTERNAL)
    assert who.json()["territory"] == "US"
    token = await proxied.token(app, user)
    mine = await proxied.client.get("/whoami", params={"oauth_token": token})
    assert mine.json()["territory"] == "DE"
    moved = await proxied.client.get("/whoami", params={"oauth_token": token}, headers=INTERNAL)
    assert moved.json()["territory"] == "US"
    junk = {"X-Soundstack-Territory": "not-a-country"}
    assert (
        await proxied.client.get("/whoami", params={"oauth_token": token}, headers=junk)
    ).json()["territory"] == "DE"


async def test_security_headers_and_no_server_header(kit: Kit) -> None:
    app = await kit.new_app("widget")
    for path in ("/catalog", "/nowhere", "/open"):
        r = await kit.client.get(path, params={"client_id": app.client_id})
        assert r.headers["x-content-type-options"] == "nosniff", path
        assert r.headers["x-frame-options"] == "DENY"
        assert "content-security-policy" in r.headers and "referrer-policy" in r.headers
        assert "server" not in r.headers and r.headers["x-request-id"]


async def test_request_id_echoed_generated_and_logged(
    kit: Kit, caplog: pytest.LogCaptureFixture
) -> None:
    app = await kit.new_app("widget")
    token = await kit.token(app, await kit.new_user("alice"))
    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.INFO, logger="tests.kit"):
        r = await kit.client.get(
            "/me", params={"oauth_token": token}, headers={"X-Request-Id": "abc-123"}
        )
    assert r.headers["x-request-id"] == "abc-123"
    lines = [rec for rec in caplog.records if rec.name == "tests.kit"]
    assert lines and all(getattr(rec, "request_id", None) == "abc-123" for rec in lines)
    bad = await kit.client.get(
        "/me", params={"oauth_token": token}, headers={"X-Request-Id": "no spaces!"}
    )
    assert bad.headers["x-request-id"] != "no spaces!" and len(bad.headers["x-request-id"]) == 32
    fresh = await kit.client.get("/me", params={"oauth_token": token})
    assert fresh.headers["x-request-id"] != bad.headers["x-request-id"]


async def test_etag_and_304_keep_cache_headers(kit: Kit) -> None:
    app = await kit.new_app("widget")
    params = {"client_id": app.client_id}
    r = await kit.client.get("/catalog", params=params)
    etag = r.headers["etag"]
    assert etag.startswith('"') and r.headers["cache-control"] == "public, max-age=60"
    assert "Authorization" in r.headers["vary"] and "User-Agent" in r.headers["vary"]
    again = await kit.client.get(
        "/catalog", params=params, headers={"If-None-Match": f'W/"x", {etag}'}
    )
    assert again.status_code == 304 and again.content == b""
    for name in ("etag", "cache-control", "vary"):
        assert again.headers[name] == r.headers[name], name
    other = await kit.client.get("/catalog", params=params, headers={"If-None-Match": '"other"'})
    assert other.status_code == 200 and other.json()["items"]


async def test_cache_control_public_only_for_anonymous_catalogue_reads(kit: Kit) -> None:
    app = await kit.new_app("widget")
    user_token = await kit.token(app, await kit.new_user("alice"))
    app_token = await kit.token(app)
    anonymous = {"client_id": app.client_id}
    assert (
        (await kit.client.get("/catalog", params=anonymous))
        .headers["cache-control"]
        .startswith("public")
    )
    for params in ({"oauth_token": user_token}, {"oauth_token": app_token}):
        r = await kit.client.get("/catalog", params=params)
        assert r.headers["cache-control"] == "private, no-cache", params
    me = await kit.client.get("/me", params={"oauth_token": user_token})
    assert me.headers["cache-control"] == "private, no-cache"
    post = await kit.client.post("/things", params={"oauth_token": user_token})
    assert "etag" not in post.headers


async def test_quirk_rewrites_body_only_for_matching_versions(kit: Kit) -> None:
    app = await kit.new_app("widget")
    params = {"client_id": app.client_id}
    old = await kit.client.get(
        "/track", params=params, headers={"User-Agent": "SoundstackMobile/4.2.0 (iOS)"}
    )
    assert old.json() == {"title": "Song", "artwork_url": "https://img/x.jpg"}
    for ua in ("SoundstackMobile/4.3.0", "SoundstackMobile/3.9", "Mozilla/5.0", ""):
        r = await kit.client.get("/track", params=params, headers={"User-Agent": ua})
        assert r.json() == {"title": "Song", "artwork": {"url": "https://img/x.jpg"}}, ua
        assert r.headers["etag"] != old.headers["etag"]


async def test_next_href_keeps_filters_drops_token_and_is_absolute(kit: Kit, proxied: Kit) -> None:
    app = await kit.new_app("widget")
    token = await kit.token(app, await kit.new_user("alice"))
    r = await kit.client.get(
        "/catalog", params={"oauth_token": token, "genre": "jazz", "limit": 1, "cursor": "C1"}
    )
    href = urlsplit(r.json()["next_href"])
    assert (href.scheme, href.netloc, href.path) == ("http", "testserver.local", "/catalog")
    assert sorted(parse_qsl(href.query)) == [
        ("cursor", "CURSOR2"),
        ("genre", "jazz"),
        ("limit", "1"),
    ]
    papp = await proxied.new_app("widget-behind-proxy")
    p = await proxied.client.get("/catalog", params={"client_id": papp.client_id, "genre": "a b"})
    phref = urlsplit(p.json()["next_href"])
    assert (phref.scheme, phref.netloc, phref.path) == ("https", "api.example", "/catalog")
    assert dict(parse_qsl(phref.query)) == {
        "client_id": papp.client_id,
        "genre": "a b",
        "cursor": "CURSOR2",
    }


@pytest.mark.parametrize("kind", sorted(STATUS))
async def test_service_errors_map_to_statuses(kit: Kit, kind: str) -> None:
    app = await kit.new_app("widget")
    r = await kit.client.get(f"/boom/{kind}", params={"client_id": app.client_id})
    assert r.status_code == STATUS[kind]
    if kind == "invalid":
        assert r.json()["field"] == "limit"


async def test_litestar_validation_errors_are_400(kit: Kit) -> None:
    app = await kit.new_app("widget")
    r = await kit.client.get("/catalog", params={"client_id": app.client_id, "limit": "many"})
    assert r.status_code == 400, r.text
    assert r.json()["reason"] == "invalid_argument" and r.json()["field"] == "limit"
