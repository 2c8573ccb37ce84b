"""Bad input is a 4xx naming what was wrong on every BFF, alike on SQLite and PostgreSQL: ids
beyond int64, NUL bytes in any string, unbounded search and filter input, huge Range numbers
(the kit's bounds, app/edge/kit/bounds.py)."""

from __future__ import annotations

import io
from typing import Any

import msgspec
import pytest
from PIL import Image

from app.edge.kit import bounds
from app.edge.media import params as media_params
from app.value_added.catalog import TrackDraft
from tests.e2e.conftest import Harness
from tests.factories import make_playlist, make_track

BEYOND = str(2**63)
"""One more than the largest int64."""
WORDS = "+".join(f"w{i}" for i in range(1000))


class World(msgspec.Struct):
    h: Harness
    user: dict[str, str]
    partner: dict[str, str]
    client_id: str
    track: int
    playlist: int


@pytest.fixture
async def world(harness: Harness) -> World:
    h = harness
    app, _ = await h.new_app("Bounds")
    partner_app, _ = await h.new_app(
        "Label", bffs=("partner",), entitlements=("read", "write", "partner:catalog")
    )
    alice = await h.new_user("alice")
    await h.services.identity.grant_partner(partner_app.id, alice)
    db = h.services.deps.db
    track = await make_track(db, alice, title="hello")
    playlist = await make_playlist(db, alice, [track])
    return World(
        h=h,
        user={"Authorization": f"OAuth {await h.user_token(app, alice)}"},
        partner={"Authorization": f"Bearer {await h.app_token(partner_app)}"},
        client_id=app.client_id,
        track=track,
        playlist=playlist,
    )


def _reason(body: dict[str, Any]) -> str:
    """The machine-readable reason, wherever the BFF's error format puts it."""
    error = body.get("error")
    if isinstance(error, dict):
        return str(error["code"])
    return str(body.get("reason") or body.get("error"))


async def _refused(w: World, method: str, url: str, status: int, **kw: Any) -> dict[str, Any]:
    headers = kw.pop("headers", w.user)
    r = await w.h.client.request(method, url, headers=headers, **kw)
    assert r.status_code == status, (method, url[:120], r.status_code, r.text[:300])
    body: dict[str, Any] = r.json()
    return body


async def test_ids_beyond_int64_are_refused_not_looked_up(world: World) -> None:
    w = world
    for url in (f"/mobile/tracks/{BEYOND}", f"/mobile/users/{BEYOND}"):
        body = await _refused(w, "GET", url, 400)
        assert _reason(body) == "invalid_argument" and "9223372036854775807" in str(body)
    body = await _refused(
        w, "POST", f"/mobile/playlists/{w.playlist}/tracks", 400, json={"track_ids": [2**63]}
    )
    assert "track_ids" in str(body)
    await _refused(w, "POST", "/mobile/playlists", 400, json={"title": "x", "track_ids": [2**64]})
    # api-v2 and SoundCloud read ids as text: a number that cannot be an id names nothing
    await _refused(w, "GET", f"/web/tracks/{BEYOND}", 404)
    await _refused(w, "GET", f"/web/users/{BEYOND}", 404)
    assert _reason(await _refused(w, "GET", f"/web/tracks?ids={BEYOND}", 400)) == "invalid_ids"
    await _refused(w, "GET", f"/public/tracks/{BEYOND}", 404)
    await _refused(w, "GET", f"/partner/tracks/{BEYOND}", 400, headers=w.partner)
    await _refused(w, "GET", f"/partner/creators/{BEYOND}", 400, headers=w.partner)
    for value in (BEYOND, "1e400", "nan", "-inf"):
        body = await _refused(w, "GET", f"/public/tracks?duration[from]={value}", 400)
        assert "duration[from]" in body["message"]


async def test_nul_bytes_are_refused_in_every_input(world: World) -> None:
    w = world
    anon: dict[str, str] = {}
    for bff in ("public", "mobile", "web", "partner", "auth"):
        body = await _refused(w, "GET", f"/{bff}/whoami?client_id=a%00b", 400, headers=anon)
        assert "client_id" in str(body) and "NUL" in str(body), bff
    for url in (
        "/public/tracks?q=a%00b",
        "/public/users?q=a%00b",
        "/public/resolve?url=https://soundcloud.com/a%00b",
        "/mobile/search?q=a%00b",
        "/web/search?q=a%00b",
        "/web/search/tracks?q=a%00b",
    ):
        body = await _refused(w, "GET", url, 400)
        assert _reason(body) == "nul_byte", url
    t = w.track
    for method, url, payload in (
        ("POST", f"/mobile/tracks/{t}/comments", {"body": "a\u0000b"}),
        ("POST", "/mobile/playlists", {"title": "a\u0000b"}),
        ("PATCH", f"/mobile/tracks/{t}", {"title": "ok", "tag_list": "x\u0000"}),
        ("POST", f"/public/tracks/{t}/comments", {"comment": {"body": "a\u0000b"}}),
        ("PUT", f"/public/tracks/{t}", {"track": {"title": "a\u0000b"}}),
        ("POST", "/web/playlists", {"playlist": {"title": "a\u0000b"}}),
    ):
        body = await _refused(w, method, url, 400, json=payload)
        assert _reason(body) == "nul_byte" and "NUL" in str(body), url
    form = {"track[title]": "a\x00b"}
    await _refused(w, "PUT", f"/public/tracks/{t}", 400, data=form)
    multipart = {"track[title]": (None, b"a\x00b")}
    await _refused(w, "PUT", f"/public/tracks/{t}", 400, files=multipart)
    token = {"grant_type": "password", "client_id": w.client_id, "username": "a\x00"}
    await _refused(w, "POST", "/auth/oauth/token", 400, data=token, headers=anon)
    # nothing was stored
    r = await w.h.client.get(f"/mobile/tracks/{t}", headers=w.user)
    assert r.json()["title"] == "hello" and "\x00" not in r.text


async def test_search_and_filter_input_is_bounded(world: World) -> None:
    w = world
    for url in (
        f"/public/tracks?q={WORDS}",
        f"/public/users?q={WORDS}",
        f"/public/playlists?q={WORDS}",
        f"/mobile/search?q={WORDS}",
        f"/web/search?q={WORDS}",
        f"/web/search/users?q={WORDS}",
    ):
        body = await _refused(w, "GET", url, 400)
        assert _reason(body) == "query_too_long" and "q" in str(body), url
    many_words = "+".join(["a"] * (bounds.MAX_SEARCH_TERMS + 1))
    assert "words" in (await _refused(w, "GET", f"/public/tracks?q={many_words}", 400))["message"]
    tags = ",".join(f"t{i}" for i in range(1200))
    for name in ("tags", "genres", "urns"):
        body = await _refused(w, "GET", f"/public/tracks?{name}={tags}", 400)
        assert _reason(body) == "too_many_values" and name in body["message"]
    # at the bounds, the databases answer (SQLite's expression depth is not reached)
    most = ",".join(f"t{i}" for i in range(bounds.MAX_LIST_ITEMS))
    words = "+".join(f"w{i}" for i in range(bounds.MAX_SEARCH_TERMS))
    for url in (f"/public/tracks?tags={most}", f"/public/tracks?q={words}&genres={most}"):
        r = await w.h.client.get(url, headers=w.user)
        assert r.status_code == 200 and r.json() == [], url


async def test_storefront_type_must_be_a_known_string(world: World) -> None:
    w = world
    url = f"/public/tracks/soundcloud:tracks:{w.track}/storefront"
    button = {"title": "Buy", "link": "https://shop.example/x"}
    for kind in ({}, [], 3, None, "boat"):
        body = await _refused(w, "PUT", url, 400, json={**button, "type": kind})
        assert "type must be one of" in body["message"]
    r = await w.h.client.put(url, headers=w.user, json={**button, "type": "vinyl"})
    assert r.status_code == 200, r.text


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 10, 10)).save(buf, format="PNG")
    return buf.getvalue()


async def test_range_numbers_of_any_length(harness: Harness) -> None:
    h = harness
    owner = await h.new_user("painter")
    me = h.viewer(owner)
    track = await h.services.creator.create_track(me, owner, TrackDraft(title="Art"))
    key = (await h.services.creator.set_track_artwork(me, track.id, _png())).artwork_key
    url = f"/media/artwork/{key}/small.jpg"
    size = len((await h.client.get(url)).content)
    huge = "9" * 5000
    r = await h.client.get(url, headers={"Range": f"bytes={huge}-"})
    assert r.status_code == 416 and r.headers["content-range"] == f"bytes */{size}"
    r = await h.client.get(url, headers={"Range": f"bytes={huge}-{huge}"})
    assert r.status_code == 416
    # a last byte or suffix beyond any object means "to the end" (RFC 9110 §14.1.2)
    for spec in (f"0-{huge}", f"-{huge}"):
        r = await h.client.get(url, headers={"Range": f"bytes={spec}"})
        assert r.status_code == 206 and r.headers["content-range"] == f"bytes 0-{size - 1}/{size}"


def test_range_parse_bounds() -> None:
    with pytest.raises(media_params.Unsatisfiable):
        media_params.parse(f"bytes={'1' * (bounds.MAX_RANGE_DIGITS + 1)}-", 10**6)
    assert media_params.parse("bytes=5-2", 10) is None
    assert media_params.parse(f"bytes=2-{'9' * 4000}", 10) == media_params.ByteRange(2, 9)
