"""The web face over HTTP: pages at the permalink URLs (hidden is missing), their metadata for
unfurlers and extractors, oEmbed, the player, plays, reserved usernames and SITE_URL."""

from __future__ import annotations

import html
import json
import re
import shutil
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx
import msgspec
import pytest

from app.settings import ALL_BFFS, SettingsError, load_settings
from app.value_added.common.errors import InvalidArgument
from app.value_added.common.fieldmask import FieldMask
from app.value_added.identity.validation import RESERVED_USERNAMES
from app.value_added.media import demo
from app.value_added.media.transcode import Output
from tests.e2e.conftest import Harness, in_process, serving, settings_for
from tests.factories import make_playlist, make_track, secret_of
from tests.integration.test_media_audio import decoded_seconds

_PLAYS = FieldMask(["stats"])


class Site(msgspec.Struct):
    h: Harness
    owner: str
    public: int
    private: int
    secret: str
    set_path: str


async def _site(h: Harness) -> Site:
    db = h.services.deps.db
    owner = await h.new_user("nightowl")
    public = await make_track(
        db, owner, title="Night Drive", description="a drive", duration_ms=5000
    )
    private = await make_track(db, owner, title="Hidden Gem", sharing="private", duration_ms=5000)
    await h.services.media.furnish_demo([public, private])
    async with db.write() as uow:
        await uow.tracks.update(public, {"permalink": "night-drive"})
        await uow.tracks.update(private, {"permalink": "hidden-gem"})
    await make_playlist(db, owner, [public, private])
    async with db.read() as uow:
        playlist = (await uow.playlists.by_user(owner, None, 1)).items[0]
    listener = await h.new_user("listener")
    await h.services.tracks.comment(h.viewer(listener), public, "great drop", 2_000)
    return Site(
        h,
        "nightowl",
        public,
        private,
        await secret_of(db, private),
        f"/nightowl/sets/{playlist.permalink}",
    )


@pytest.fixture(scope="module")
def _clips(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[demo.Melody, demo.Clip]]:
    return tmp_path_factory.mktemp("clips"), {}


@pytest.fixture
def _encoded_once(
    monkeypatch: pytest.MonkeyPatch, _clips: tuple[Path, dict[demo.Melody, demo.Clip]]
) -> None:
    """Each demo clip is encoded once for the module and copied into later furnishings (the
    same melody encodes to the same files; the encoding itself is tests/e2e/test_demo_media.py's):
    encoding two clips for every page test was most of this file's CPU."""
    root, done = _clips
    encode, lock = demo.encode, threading.Lock()

    def rebased(clip: demo.Clip, src: Path, dst: Path) -> demo.Clip:
        def move(path: Path) -> Path:
            return dst / path.relative_to(src)

        outputs = [
            Output(o.kind, move(o.path), o.mime_type, o.duration_ms, [move(s) for s in o.segments])
            for o in clip.outputs
        ]
        return demo.Clip(
            move(clip.original), clip.duration_ms, outputs, clip.waveform, clip.artwork
        )

    def cached(m: demo.Melody, workdir: Path) -> demo.Clip:
        with lock:
            found = done.get(m)
        store = root / str(abs(hash(m)))
        if found is None:
            found = encode(m, store)
            with lock:
                done[m] = found
        shutil.copytree(store, workdir, dirs_exist_ok=True)
        return rebased(found, store, workdir)

    monkeypatch.setattr(demo, "encode", cached)


@pytest.fixture
async def site(harness: Harness, _encoded_once: None) -> Site:
    return await _site(harness)


def _meta(page: str, prop: str) -> str:
    found = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)"', page)
    assert found, prop
    return html.unescape(found.group(1))


def _jsonld(page: str) -> dict[str, object]:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert found
    return json.loads(found.group(1))  # type: ignore[no-any-return]


async def test_track_page_has_player_metadata_and_is_frameable(site: Site) -> None:
    c = site.h.client
    page = await c.get("/nightowl/night-drive")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "x-frame-options" not in page.headers
    assert "frame-ancestors *" in page.headers["content-security-policy"]
    text = page.text
    assert "<h1>Night Drive</h1>" in text and "great drop" in text and "0:05" in text
    audio = _meta(text, "og:audio")
    assert _meta(text, "og:audio:type") == "audio/mpeg"
    got = await c.get(audio.removeprefix("http://testserver.local"))
    assert got.status_code == 200 and abs(decoded_seconds(got.content) - 5) < 0.2
    assert re.search(r'<audio class="audio" preload="metadata" src="/media/streams/', text)
    data = _jsonld(text)
    assert data["@type"] == "MusicRecording" and data["name"] == "Night Drive"
    assert data["duration"] == "PT0H0M5S" and data["audio"]["contentUrl"] == audio  # type: ignore[index]
    oembed = re.search(
        r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', text
    )
    assert oembed and "/oembed?format=json&amp;url=" in oembed.group(1)
    assert _meta(text, "og:image").endswith("/t500x500.jpg")
    # API responses still refuse to be framed
    api = await c.get("/health")
    assert api.headers["x-frame-options"] == "DENY"


async def test_hidden_is_the_same_404_page_as_missing(site: Site) -> None:
    c = site.h.client
    hidden = await c.get("/nightowl/hidden-gem")
    missing = await c.get("/nightowl/no-such-track")
    nobody = await c.get("/no-such-user/hidden-gem")
    assert hidden.status_code == missing.status_code == nobody.status_code == 404
    assert hidden.text == missing.text == nobody.text and "Not found" in hidden.text
    wrong = await c.get(f"/nightowl/hidden-gem/{site.secret}x")
    assert wrong.status_code == 404 and wrong.text == missing.text
    shared = await c.get(f"/nightowl/hidden-gem/{site.secret}")
    assert shared.status_code == 200 and "Hidden Gem" in shared.text
    assert f'data-secret="{site.secret}"' in shared.text


async def test_home_user_set_and_search_pages(site: Site) -> None:
    c = site.h.client
    home = await c.get("/")
    assert home.status_code == 200 and 'href="/nightowl/night-drive"' in home.text
    assert "Hidden Gem" not in home.text
    user = await c.get("/nightowl")
    assert user.status_code == 200 and "Night Drive" in user.text and "Hidden Gem" not in user.text
    assert _jsonld(user.text)["@type"] == "MusicGroup"
    playlist = await c.get(site.set_path)
    assert playlist.status_code == 200 and "Night Drive" in playlist.text
    assert "Hidden Gem" not in playlist.text  # its tracks are filtered one by one
    sounds = re.search(r"data-sounds='([^']+)'", playlist.text)
    assert sounds and [t["title"] for t in json.loads(html.unescape(sounds.group(1)))] == [
        "Night Drive"
    ]  # play-through: each visible track with its stream
    data = _jsonld(playlist.text)
    assert data["@type"] == "MusicPlaylist" and data["numTracks"] == 1
    found = await c.get("/search", params={"q": "night"})
    assert found.status_code == 200 and "Night Drive" in found.text
    too_long = await c.get("/search", params={"q": "x" * 201})
    assert too_long.status_code == 400


async def test_oembed_follows_soundclouds_contract(site: Site) -> None:
    c = site.h.client
    url = "http://testserver.local/nightowl/night-drive"
    r = await c.get("/oembed", params={"url": url, "maxheight": 100, "color": "00ff00"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["version"] == 1.0 and body["type"] == "rich" and body["height"] == 100
    assert body["provider_name"] == "Soundstack" and body["author_name"] == "nightowl"
    assert body["title"] == "Night Drive by nightowl" and body["thumbnail_url"]
    src = html.unescape(re.search(r'src="([^"]+)"', body["html"]).group(1))  # type: ignore[union-attr]
    assert src.startswith("http://testserver.local/player/?url=") and "color=00ff00" in src
    player = await c.get(src.removeprefix("http://testserver.local"))
    assert player.status_code == 200 and "x-frame-options" not in player.headers
    assert "Night Drive" in player.text and 'data-widget="true"' in player.text

    js = await c.get("/oembed", params={"url": url, "format": "js", "callback": "cb"})
    assert js.text.startswith("cb({") and js.text.endswith("});")
    sets = await c.get("/oembed", params={"url": "http://testserver.local" + site.set_path})
    assert sets.json()["height"] == 450
    for bad in ({"url": url, "format": "xml"}, {"url": url, "format": "js", "callback": "a()"}, {}):
        refused = await c.get("/oembed", params=bad)
        assert refused.status_code == 400 and refused.json()["error"], bad
    for hidden in ("/nightowl/hidden-gem", "/nightowl/nothing", "/nightowl"):
        gone = await c.get("/oembed", params={"url": "http://testserver.local" + hidden})
        assert gone.status_code == 404 and gone.json()["error"] == "not_found"
    secret = await c.get("/oembed", params={"url": f"{url[:-11]}hidden-gem/{site.secret}"})
    assert secret.status_code == 200
    refused_player = await c.get(
        "/player/", params={"url": "http://testserver.local/nightowl/hidden-gem"}
    )
    assert refused_player.status_code == 404


async def test_plays_count_through_the_apps_command(site: Site) -> None:
    c = site.h.client
    before = (await site.h.services.tracks.get(site.h.viewer(None), site.public, _PLAYS)).stats
    r = await c.post("/player/plays", json={"track_id": site.public})
    assert r.status_code == 200 and r.json()["plays"] == before.plays + 1  # type: ignore[union-attr]
    hidden = await c.post("/player/plays", json={"track_id": site.private})
    assert hidden.status_code == 404
    shared = await c.post(
        "/player/plays", json={"track_id": site.private, "secret_token": site.secret}
    )
    assert shared.status_code == 200
    api = await c.get("/player/api.js")
    assert api.status_code == 200 and "SC.Widget" in api.text


async def test_reserved_usernames_cover_every_prefix_and_page(harness: Harness) -> None:
    from app.edge.site.routes import account, oembed, pages, player

    firsts = {"rest", "auth", "media", *ALL_BFFS}
    for routes in (oembed.ROUTES, pages.ROUTES, player.ROUTES, account.ROUTES):
        for handler in routes:
            for path in handler.paths:
                first = path.strip("/").split("/")[0]
                if first and not first.startswith("{"):
                    firsts.add(first)
    firsts.add("assets")
    assert firsts <= RESERVED_USERNAMES
    for name in ("web", "Player", "oembed", "REST"):
        with pytest.raises(InvalidArgument) as refused:
            await harness.new_user(name)
        assert refused.value.reason == "username_reserved"


@pytest.fixture
async def elsewhere(sqlite_url: str, tmp_path: Path) -> AsyncIterator[Harness]:
    settings = settings_for(sqlite_url, tmp_path, site_url="https://music.example")
    async with serving(in_process(settings)) as h:
        yield h


async def test_site_url_shapes_every_permalink(elsewhere: Harness) -> None:
    s = await _site(elsewhere)
    app, _ = await elsewhere.new_app("Links")
    q = {"client_id": app.client_id}
    public = (await elsewhere.client.get(f"/public/tracks/{s.public}", params=q)).json()
    assert public["permalink_url"] == "https://music.example/nightowl/night-drive"
    assert public["user"]["permalink_url"] == "https://music.example/nightowl"
    web = (await elsewhere.client.get(f"/web/tracks/{s.public}", params=q)).json()
    assert web["permalink_url"] == "https://music.example/nightowl/night-drive"
    page = await elsewhere.client.get("/nightowl/night-drive")
    assert _meta(page.text, "og:url") == "https://music.example/nightowl/night-drive"
    assert _meta(page.text, "og:audio").startswith("http://testserver.local/media/")
    with pytest.raises(SettingsError, match="SITE_URL"):
        load_settings({"SECRET_KEY": "k" * 32, "SITE_URL": "music.example"})


def _hidden_fields(page: str) -> dict[str, str]:
    return {
        html.unescape(k): html.unescape(v)
        for k, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    }


async def _sign_in(c: httpx.AsyncClient, next_path: str) -> httpx.Response:
    """The browser's way: /signin, the auth BFF's form, back to the callback."""
    start = await c.get("/signin", params={"next": next_path})
    assert start.status_code == 303, start.text
    flow_cookie = start.headers["set-cookie"]
    assert "HttpOnly" in flow_cookie and "SameSite=lax" in flow_cookie, flow_cookie
    authorize = await c.get(start.headers["location"])
    assert authorize.status_code == 200, authorize.text
    form = _hidden_fields(authorize.text) | {
        "username": "listener",
        "password": "correct horse battery",
        "decision": "approve",
    }
    approved = await c.post("/auth/authorize", data=form)
    assert approved.status_code == 303, approved.text
    return await c.get(approved.headers["location"])


async def test_sign_in_likes_reposts_and_sign_out(site: Site) -> None:
    c = site.h.client
    back = await _sign_in(c, "//evil.example/")  # never another host
    assert back.status_code == 303 and back.headers["location"] == "/"
    session_cookie = back.headers["set-cookie"]
    assert session_cookie.startswith("soundstack_session=") and "HttpOnly" in session_cookie
    assert "SameSite=lax" in session_cookie and "Path=/" in session_cookie
    token = session_cookie.split(";")[0].split("=", 1)[1]

    page = await c.get("/nightowl/night-drive")
    assert "Signed in as <b>listener</b>" in page.text and token not in page.text
    csrf = re.search(r'class="engage" data-track-id="\d+" data-csrf="([^"]+)"', page.text)
    assert csrf is not None
    header = {"X-CSRF-Token": csrf.group(1)}

    assert (await c.post(f"/you/likes/{site.public}")).status_code == 403  # no CSRF token
    liked = await c.post(f"/you/likes/{site.public}", headers=header)
    assert liked.status_code == 200 and liked.json() == {"active": True, "count": 1}
    reposted = await c.post(f"/you/reposts/{site.public}", headers=header)
    assert reposted.json() == {"active": True, "count": 1}
    again = await c.get("/nightowl/night-drive")
    assert 'class="like" data-kind="likes" aria-pressed="true"' in again.text
    assert '<span class="likes">1</span> likes' in again.text
    hidden = await c.post(f"/you/likes/{site.private}", headers=header)
    assert hidden.status_code == 404 and hidden.json()["error"] == "not_found"
    shared = await c.post(
        f"/you/likes/{site.private}", headers=header, json={"secret_token": site.secret}
    )
    assert shared.json() == {"active": True, "count": 1}
    bad = await c.post(f"/you/likes/{site.public}", headers=header, content=b"[")
    assert bad.status_code == 400 and bad.json()["error"] == "invalid_body"
    unliked = await c.delete(f"/you/likes/{site.public}", headers=header)
    assert unliked.json() == {"active": False, "count": 0}

    out = await c.post("/logout", data={"csrf_token": csrf.group(1), "next": "/search"})
    assert out.status_code == 303 and out.headers["location"] == "/search"
    c.cookies.set("soundstack_session", token)  # a copy kept elsewhere: revoked all the same
    after = await c.post(f"/you/likes/{site.public}", headers=header)
    assert after.status_code == 401 and after.json()["error"] == "sign_in_required"


async def test_sign_in_refuses_forged_and_replayed_callbacks(site: Site) -> None:
    c = site.h.client
    assert (await c.get("/signin/callback", params={"code": "x", "state": "y"})).status_code == 400
    start = await c.get("/signin")
    authorize = await c.get(start.headers["location"])
    form = _hidden_fields(authorize.text) | {
        "username": "listener",
        "password": "correct horse battery",
        "decision": "approve",
    }
    callback = (await c.post("/auth/authorize", data=form)).headers["location"]
    answer = dict(parse_qsl(urlsplit(callback).query))
    forged = {"code": answer["code"], "state": answer["state"] + "x"}
    assert (await c.get("/signin/callback", params=forged)).status_code == 400
    assert (await c.get("/signin/callback", params=answer)).status_code == 303
    start = await c.get("/signin")  # a new flow: the old code is spent
    state = dict(parse_qsl(urlsplit(start.headers["location"]).query))["state"]
    replayed = await c.get("/signin/callback", params={"code": answer["code"], "state": state})
    assert replayed.status_code == 400
    denied = await c.get("/signin/callback", params={"error": "access_denied", "state": "z"})
    assert denied.status_code == 400  # (not this flow's state either)


@pytest.fixture
async def strict(sqlite_url: str, tmp_path: Path) -> AsyncIterator[Harness]:
    settings = settings_for(sqlite_url, tmp_path, rate_limit_site_per_minute=3)
    async with serving(in_process(settings)) as h:
        h.freeze_rate_limit_clock()
        yield h


async def test_site_is_rate_limited_per_address(strict: Harness) -> None:
    c = strict.client
    for _ in range(3):
        assert (await c.get("/", headers={"Accept": "text/html"})).status_code == 200
    assert (await c.get("/assets/site.css")).status_code == 200  # static files: not counted
    page = await c.get("/", headers={"Accept": "text/html"})
    assert page.status_code == 429 and "Too many requests" in page.text
    assert int(page.headers["retry-after"]) > 0 and page.headers["ratelimit-policy"]
    oembed = await c.get("/oembed", params={"url": "http://testserver.local/a/b"})
    assert oembed.status_code == 429 and oembed.json()["error"] == "rate_limited"
    other = await c.get("/", headers={"X-Forwarded-For": "203.0.113.9"})  # (untrusted header)
    assert other.status_code == 429
