"""A body encoded once in its handler (kit.representation.Encoded) is answered exactly as the
same body returned to Litestar is: status, every header in order, body, ETag and 304, quirks,
cache headers, the response cache and the request line."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from app.edge.kit import gateway
from app.edge.kit.log_format import REQUEST_LOGGER
from tests.e2e.test_kit_harness import Kit, kit

__all__ = ["kit"]

PER_REQUEST = {"x-request-id", "date", "ratelimit", "ratelimit-policy"}
PER_REQUEST |= {"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"}


def _answer(r: httpx.Response) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers in order (less those that change per request) and body."""
    hdrs = [(k, v) for k, v in r.headers.multi_items() if k not in PER_REQUEST]
    return r.status_code, hdrs, r.content


async def _both(kit: Kit, method: str, path: str, **kwargs: Any) -> list[httpx.Response]:
    """The general route's answer and its encoded twin's (`/encoded` + path)."""
    return [await kit.client.request(method, p, **kwargs) for p in (path, f"/encoded{path}")]


async def test_encoded_answers_equal_the_general_path(kit: Kit) -> None:
    app = await kit.new_app("widget")
    app_token = await kit.token(app)
    user_token = await kit.token(app, await kit.new_user("alice"))
    cases: list[tuple[str, str, dict[str, Any]]] = [
        ("GET", "/listing", {"params": {"client_id": app.client_id, "genre": "ambient"}}),
        ("GET", "/listing", {"params": {"oauth_token": app_token}}),
        ("GET", "/listing", {"params": {"oauth_token": user_token}}),
        ("HEAD", "/listing", {"params": {"client_id": app.client_id}}),
        ("GET", "/track", {"params": {"client_id": app.client_id}}),
        ("GET", "/track", {"params": {"client_id": app.client_id}, "headers": _OLD_APP}),
        ("GET", "/listing", {"params": {"oauth_token": user_token}, "headers": _ORIGIN}),
        ("POST", "/things", {"params": {"oauth_token": user_token}}),
    ]
    for method, path, kwargs in cases:
        general, encoded = await _both(kit, method, path, **kwargs)
        assert general.status_code in (200, 201, 405), (method, path, general.status_code)
        assert _answer(encoded) == _answer(general), (method, path, kwargs)
        assert encoded.headers["x-request-id"]
    quirked = await kit.client.get(
        "/encoded/track", params={"client_id": app.client_id}, headers=_OLD_APP
    )
    assert quirked.json() == {"title": "Song", "artwork_url": "https://img/x.jpg"}


async def test_encoded_etag_and_304(kit: Kit, monkeypatch: pytest.MonkeyPatch) -> None:
    handed: list[int] = []
    encoded_of = gateway._Response.encoded

    async def counted(self: Any, status: int, body: bytes, send: Any) -> None:
        handed.append(status)
        await encoded_of(self, status, body, send)

    monkeypatch.setattr(gateway._Response, "encoded", counted)
    app = await kit.new_app("widget")
    params = {"client_id": app.client_id}
    tag = (await kit.client.get("/listing", params=params)).headers["etag"]
    held = {"If-None-Match": f'W/"x", {tag}'}
    general, encoded = await _both(kit, "GET", "/listing", params=params, headers=held)
    assert encoded.status_code == 304 and encoded.content == b""
    assert _answer(encoded) == _answer(general)
    assert "content-type" not in encoded.headers and "content-length" not in encoded.headers
    assert handed == [200]  # (the bytes went to the gateway, not through Litestar's response)
    again = await kit.client.get("/encoded/listing", params=params)  # (the response cache's)
    assert again.status_code == 200 and again.headers["etag"] == tag and handed == [200]


async def test_encoded_answers_are_logged_and_cached_as_others(
    kit: Kit, caplog: pytest.LogCaptureFixture
) -> None:
    app = await kit.new_app("widget")
    params = {"client_id": app.client_id}
    with caplog.at_level(logging.INFO, logger=REQUEST_LOGGER):
        first = await kit.client.get("/encoded/listing", params=params)
        again = await kit.client.get("/encoded/listing", params=params)
    lines = [r for r in caplog.records if r.name == REQUEST_LOGGER]
    assert [(r.getMessage(), getattr(r, "status", None)) for r in lines] == [
        ("GET /encoded/listing 200", 200)
    ] * 2
    assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
    assert kit.ctx.responses.enabled and len(kit.ctx.responses) >= 1  # (kept by the gateway)


_OLD_APP = {"User-Agent": "SoundstackMobile/4.2.0 (iOS)"}
_ORIGIN = {"Origin": "https://allowed.example"}
