"""Edge limits no caller or route can get around: one request-size limit kept by the gateway
(MAX_BODY_BYTES, MAX_UPLOAD_BYTES for uploads; issue 12, item 5), and anonymous `?client_id=`
callers counted per client address and apart from the app's signed-in users (item 6)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import post
from sqlalchemy import text

from app.edge.kit.bff import BFFSpec, build_bff_app
from app.edge.kit.routes import WRITE, RouteDeclarationError
from app.edge.kit.streamed_form import MAX_FIELD_BYTES
from app.main import build_context
from tests.e2e.conftest import BASE_URL, Harness, in_process, serving, settings_for
from tests.factories import make_track
from tests.integration.test_media_audio import sine

MiB = 1024 * 1024
MAX_UPLOAD = 200_000


@pytest.fixture
async def app_budget_100(sqlite_url: str, tmp_path: Path) -> AsyncIterator[Harness]:
    settings = settings_for(sqlite_url, tmp_path, rate_limit_app_per_minute=100)
    async with serving(in_process(settings)) as h:
        h.freeze_rate_limit_clock()
        yield h


def _from(h: Harness, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=h.app, client=(address, 50000))
    return httpx.AsyncClient(transport=transport, base_url=BASE_URL)


async def test_anonymous_callers_cannot_starve_the_apps_signed_in_users(
    app_budget_100: Harness,
) -> None:
    """110 anonymous GETs with RATE_LIMIT_APP_PER_MINUTE=100 spent the budget the app's
    signed-in users share: the user's next call was a 429."""
    h = app_budget_100
    app, _ = await h.new_app("widget")
    token = await h.user_token(app, await h.new_user("listener"))
    anonymous = {"client_id": app.client_id}
    statuses = [
        (await h.client.get("/public/tracks", params=anonymous)).status_code for _ in range(110)
    ]
    assert statuses == [200] * 100 + [429] * 10
    refused = await h.client.get("/public/tracks", params=anonymous)
    assert refused.status_code == 429 and refused.json()["error"] == "rate_limited"
    assert int(refused.headers["retry-after"]) > 0
    assert refused.headers["x-ratelimit-remaining"] == "0"
    assert refused.headers["x-ratelimit-limit"] == "100"
    assert '"app";r=0' in refused.headers["ratelimit"]
    signed_in = await h.client.get("/public/tracks", headers={"Authorization": f"OAuth {token}"})
    assert signed_in.status_code == 200, signed_in.text
    assert signed_in.headers["x-ratelimit-remaining"] != "0"


async def test_anonymous_callers_are_limited_per_client_address(
    sqlite_url: str, tmp_path: Path
) -> None:
    settings = settings_for(
        sqlite_url, tmp_path, rate_limit_app_per_minute=100, rate_limit_anonymous_per_minute=5
    )
    async with serving(in_process(settings)) as h:
        h.freeze_rate_limit_clock()
        app, _ = await h.new_app("embed")
        token = await h.user_token(app, await h.new_user("signed_in"))
        anonymous = {"client_id": app.client_id}
        async with _from(h, "198.51.100.7") as noisy, _from(h, "203.0.113.9") as other:
            for n in range(5):
                r = await noisy.get("/web/tracks", params=anonymous)
                assert r.status_code == 200, r.text
                assert '"anonymous";q=5;w=60' in r.headers["ratelimit-policy"]
                assert r.headers["x-ratelimit-remaining"] == str(4 - n)
            refused = await noisy.get("/web/tracks", params=anonymous)
            assert refused.status_code == 429
            assert refused.json()["rate_limit"]["policy"] == "anonymous"
            assert refused.json()["rate_limit"]["per"] == "address"
            assert refused.headers["ratelimit"].startswith('"anonymous";r=0;')
            assert (await other.get("/web/tracks", params=anonymous)).status_code == 200
            # a token caller from the noisy address is not anonymous: its budgets are its own
            user = await noisy.get("/web/tracks", headers={"Authorization": f"OAuth {token}"})
            assert user.status_code == 200 and "anonymous" not in user.headers["ratelimit-policy"]


class Uploads:
    """The whole app with MAX_UPLOAD_BYTES=200,000, a signed-in creator and a partner app."""

    def __init__(self, h: Harness, media: Path) -> None:
        self.h, self.media = h, media
        self.user: dict[str, str] = {}
        self.partner: dict[str, str] = {}
        self.client_id = ""
        self.owner = 0
        self.track = 0


@pytest.fixture
async def uploads(sqlite_url: str, tmp_path: Path) -> AsyncIterator[Uploads]:
    settings = settings_for(sqlite_url, tmp_path, max_upload_bytes=MAX_UPLOAD)
    async with serving(in_process(settings)) as h:
        u = Uploads(h, Path(settings.media_dir))
        app, _ = await h.new_app("Sizes")
        label, _ = await h.new_app(
            "Label", bffs=("partner",), entitlements=("read", "write", "partner:catalog")
        )
        u.owner = await h.new_user("uploader")
        await h.services.identity.grant_partner(label.id, u.owner)
        u.user = {"Authorization": f"OAuth {await h.user_token(app, u.owner)}"}
        u.partner = {"Authorization": f"Bearer {await h.app_token(label)}"}
        u.client_id = app.client_id
        u.track = await make_track(h.services.deps.db, u.owner, title="existing")
        yield u


def _reason(response: httpx.Response) -> str:
    """The machine-readable reason, wherever the BFF's error format puts it."""
    body: dict[str, Any] = response.json()
    if isinstance(body.get("error"), dict):
        return str(body["error"]["code"])
    if "subsonic-response" in body:
        return str(body["subsonic-response"]["error"]["message"])
    return str(body.get("reason") or body.get("error"))


def _over(limit: int) -> bytes:
    """A JSON document one byte longer than `limit`."""
    head, tail = b'{"title": "', b'"}'
    return head + b"x" * (limit + 1 - len(head) - len(tail)) + tail


async def test_every_body_taking_route_family_answers_413_beyond_max_body_bytes(
    uploads: Uploads,
) -> None:
    u = uploads
    body = _over(MiB)
    form = b"title=" + b"x" * (MiB + 1)
    families: list[tuple[str, str, dict[str, str], bytes, str]] = [
        ("POST", "/mobile/playlists", u.user, body, "application/json"),
        ("POST", "/web/playlists", u.user, body, "application/json"),
        ("PUT", f"/public/tracks/{u.track}", u.user, body, "application/json"),
        ("PUT", f"/public/tracks/{u.track}", {}, form, "application/x-www-form-urlencoded"),
        ("POST", f"/public/tracks/{u.track}/comments", u.user, body, "application/json"),
        ("POST", f"/partner/creators/{u.owner}/tracks", u.partner, body, "application/json"),
        ("POST", "/rest/ping.view", {}, form, "application/x-www-form-urlencoded"),
        ("POST", "/auth/oauth/token", {}, form, "application/x-www-form-urlencoded"),
    ]
    for method, path, auth, content, kind in families:
        r = await u.h.client.request(
            method,
            path,
            params={"client_id": u.client_id},
            headers={**auth, "Content-Type": kind},
            content=content,
        )
        assert r.status_code == 413, (method, path, r.status_code, r.text[:300])
        if path.startswith(("/rest", "/auth")):  # (Subsonic's and OAuth's own error codes)
            assert f"at most {MiB} bytes" in r.text, r.text
        else:
            assert "body_too_large" in r.text, (path, r.text)
    # at the limit exactly, the body is read (and judged on its content)
    fits = await u.h.client.put(
        f"/public/tracks/{u.track}", headers=u.user, content=b" " * (MiB - 2) + b"{}"
    )
    assert fits.status_code == 200, fits.text


async def test_a_body_without_content_length_is_cut_off_at_the_limit(uploads: Uploads) -> None:
    """The issue's attack: a 400 MB body to PUT /public/tracks/{urn} was read whole. Streamed
    without Content-Length, the edge stops reading once the limit is passed."""
    u = uploads
    pulled = 0

    async def endless_json() -> AsyncIterator[bytes]:
        nonlocal pulled
        yield b'{"track": {"title": "'
        for _ in range(400 * 16):  # 400 MB in 64 KiB chunks, if anybody read them all
            pulled += 1
            yield b"x" * 65_536

    r = await u.h.client.put(f"/public/tracks/{u.track}", headers=u.user, content=endless_json())
    assert r.status_code == 413 and _reason(r) == "body_too_large", r.text[:300]
    assert r.json()["max_bytes"] == MiB
    assert pulled <= MiB // 65_536 + 2, pulled


async def _nothing_stored(u: Uploads) -> None:
    async with u.h.services.deps.db.read() as uow:
        conn = await uow.raw_connection()
        rows = (await conn.execute(text("SELECT title FROM tracks"))).scalars().all()
    assert rows == ["existing"]
    assert [f for f in u.media.rglob("*") if f.is_file()] == []


def _multipart(fields: dict[str, str], name: str, audio: bytes) -> tuple[bytes, str]:
    boundary = "soundstack-limits-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="a.wav"\r\n'
        "Content-Type: audio/wav\r\n\r\n".encode()
        + audio
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


async def test_uploads_beyond_max_upload_bytes_are_413_and_nothing_is_stored(
    uploads: Uploads,
) -> None:
    u = uploads
    big = sine(4, "wav")  # ~350 KB: over MAX_UPLOAD_BYTES, within the upload body allowance
    huge = big * 5  # beyond MAX_UPLOAD_BYTES plus the room for the form around the file
    assert MAX_UPLOAD < len(big) < MAX_UPLOAD + MiB < len(huge)
    for audio in (big, huge):
        for path, fields, part, auth in (
            ("/public/tracks", {"track[title]": "too big"}, "track[asset_data]", u.user),
            (
                f"/partner/creators/{u.owner}/tracks/upload",
                {"metadata": json.dumps({"title": "too big"})},
                "file",
                u.partner,
            ),
        ):
            content, kind = _multipart(fields, part, audio)
            r = await u.h.client.post(path, headers={**auth, "Content-Type": kind}, content=content)
            assert r.status_code == 413, (path, len(audio), r.status_code, r.text[:300])
            assert _reason(r) == "upload_too_large", (path, r.text[:300])
            await _nothing_stored(u)
    small = sine(1, "wav")
    assert len(small) < MAX_UPLOAD
    content, kind = _multipart({"track[title]": "fits"}, "track[asset_data]", small)
    r = await u.h.client.post(
        "/public/tracks", headers={**u.user, "Content-Type": kind}, content=content
    )
    assert r.status_code == 201, r.text[:300]


async def test_a_streamed_upload_is_cut_off_beyond_its_allowance(uploads: Uploads) -> None:
    u = uploads
    head, kind = _multipart({"track[title]": "endless"}, "track[asset_data]", b"")
    head = head[: head.index(b"\r\n--soundstack-limits-boundary--")]
    pulled = 0

    async def endless_upload() -> AsyncIterator[bytes]:
        nonlocal pulled
        yield head
        for _ in range(400 * 16):
            pulled += 1
            yield b"\x00" * 65_536

    r = await u.h.client.post(
        "/public/tracks", headers={**u.user, "Content-Type": kind}, content=endless_upload()
    )
    assert r.status_code == 413 and _reason(r) == "upload_too_large", r.text[:300]
    assert pulled <= (MAX_UPLOAD + MiB) // 65_536 + 2, pulled
    await _nothing_stored(u)


async def _streamed_field(u: Uploads, name: str, total: int) -> tuple[httpx.Response, int]:
    """An upload whose text field `name` is `total` bytes, sent 64 KiB at a time: the answer
    and how many of those chunks the server pulled before answering."""
    boundary = "soundstack-field-boundary"
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
    pulled = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal pulled
        yield head
        for _ in range(total // 65_536):
            pulled += 1
            yield b"a" * 65_536
        yield f"\r\n--{boundary}--\r\n".encode()

    kind = f"multipart/form-data; boundary={boundary}"
    r = await u.h.client.post(
        "/public/tracks", headers={**u.user, "Content-Type": kind}, content=body()
    )
    return r, pulled


async def test_a_huge_text_field_of_an_upload_is_refused_as_soon_as_it_passes_its_bound(
    uploads: Uploads,
) -> None:
    """A 4 MiB `track[title]` in POST /public/tracks (within the upload's allowance of the whole
    body, MAX_UPLOAD_BYTES + 1 MiB): 413 `field_too_large` naming the field after at most two
    chunks beyond the field's 64 KiB, never the whole field in memory; nothing stored."""
    u = uploads
    r, pulled = await _streamed_field(u, "track[title]", 4 * MiB)
    assert r.status_code == 413 and _reason(r) == "field_too_large", r.text[:300]
    assert r.json()["field"] == "track[title]"
    assert pulled <= MAX_FIELD_BYTES // 65_536 + 2, pulled  # the gateway's cut would be ~19
    await _nothing_stored(u)


async def test_an_upload_streams_its_file_between_bounded_fields(uploads: Uploads) -> None:
    """Fields first, then the audio (streamed); another file part before it is skipped; a
    text field after the file is refused (400 `field_after_file`) and nothing is stored."""
    u = uploads
    audio = sine(1, "wav")
    boundary = "soundstack-order-boundary"

    def part(name: str, value: bytes, filename: str | None = None) -> bytes:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        return (
            f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + value + b"\r\n"
        )

    def form(*parts: bytes) -> dict[str, Any]:
        return {
            "headers": {**u.user, "Content-Type": f"multipart/form-data; boundary={boundary}"},
            "content": b"".join(parts) + f"--{boundary}--\r\n".encode(),
        }

    late = form(part("track[asset_data]", audio, "a.wav"), part("track[title]", b"Late"))
    r = await u.h.client.post("/public/tracks", **late)
    assert r.status_code == 400 and r.json()["field"] == "track[title]", r.text[:300]
    trailing = form(
        part("track[title]", b"Trailing"),
        part("track[asset_data]", audio, "a.wav"),
        part("track[genre]", b"house"),
    )
    r = await u.h.client.post("/public/tracks", **trailing)
    assert r.status_code == 400 and _reason(r) == "field_after_file", r.text[:300]
    assert r.json()["field"] == "track[genre]"
    await _nothing_stored(u)
    fine = form(
        part("track[title]", "Caf\u00e9".encode()),
        part("track[artwork_data]", b"\x89PNG not read", "cover.png"),
        part("track[asset_data]", audio, "a.wav"),
    )
    r = await u.h.client.post("/public/tracks", **fine)
    assert r.status_code == 201 and r.json()["title"] == "Caf\u00e9", r.text[:300]


@pytest.mark.parametrize("limit", [None, 10 * 1024**3])
def test_a_route_cannot_set_its_own_body_limit(
    sqlite_url: str, tmp_path: Path, limit: int | None
) -> None:
    @post("/unbounded", opt=WRITE, request_max_body_size=limit, sync_to_thread=False)
    def unbounded() -> None:
        return None

    ctx = build_context(settings_for(sqlite_url, tmp_path))
    spec = BFFSpec(name="test", title="t", description="t", route_handlers=[unbounded])
    with pytest.raises(RouteDeclarationError, match="request_max_body_size"):
        build_bff_app(spec, ctx)
