"""The web face in a real browser (Playwright driving Debian's Chromium), against one uvicorn
server for the module: a track page plays and draws its waveform, the widget embedded through
oEmbed's html is driven by SC.Widget with its events in order, a private track's page is a
404, and the docs page renders its operations with no network. Screenshots go to var/browser/."""

from __future__ import annotations

import asyncio
import contextlib
import html
import os
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest

from app.value_added.access import Viewer
from app.value_added.media import MediaConfig
from app.value_added.registry import build_services
from tests.conftest import migrate
from tests.contract.public_seed import serve_app
from tests.factories import make_track, secret_of

SECRET = "browser-secret-key-0123456789abcdef"
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "var" / "browser"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

if CHROMIUM is None:  # `make test` installs it (see the Makefile's chromium target)
    if os.environ.get("CI") == "true":
        raise RuntimeError("Chromium is missing: `apt-get install chromium` (make test does)")
    pytest.skip("Chromium is not installed (make chromium)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


class Seeded(msgspec.Struct):
    base: str
    public_path: str
    private_path: str
    secret: str
    second_path: str
    fan_id: int
    public_id: int
    web_client_id: str


async def _seed(db_url: str, media_dir: Path) -> dict[str, Any]:
    services = build_services(db_url, SECRET, media=MediaConfig(media_dir=str(media_dir)))
    try:
        db = services.deps.db
        owner = (await services.identity.create_user("browserband", "long enough pw")).id
        public = await make_track(db, owner, title="Glass Tide", duration_ms=5000)
        private = await make_track(db, owner, title="Locked Room", sharing="private")
        second = await make_track(db, owner, title="Second Wave", duration_ms=5000)
        async with db.write() as uow:
            await uow.tracks.update(public, {"permalink": "glass-tide"})
            await uow.tracks.update(private, {"permalink": "locked-room"})
            await uow.tracks.update(second, {"permalink": "second-wave"})
        await services.media.furnish_demo([public, private, second])
        web = await services.identity.create_app("Browser web client", ["web"])
        fan = (await services.identity.create_user("browserfan", "long enough pw")).id
        listener = Viewer(user_id=fan, app_id=None, territory=None, plan="free")
        await services.tracks.comment(listener, public, "that bass at two seconds", 2_000)
        return {
            "public_path": "/browserband/glass-tide",
            "private_path": "/browserband/locked-room",
            "secret": await secret_of(db, private),
            "second_path": "/browserband/second-wave",
            "fan_id": fan,
            "public_id": public,
            "web_client_id": web.client_id,
        }
    finally:
        await services.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    tmp = tmp_path_factory.mktemp("browser")
    db_url = f"sqlite+aiosqlite:///{tmp / 'browser.db'}"
    migrate(db_url)
    data = asyncio.run(_seed(db_url, tmp / "media"))
    with serve_app(tmp, db_url, SECRET, tmp / "media") as (base, _port):
        yield msgspec.convert({"base": base, **data}, Seeded)


@pytest.fixture(scope="module")
def browser(server: Seeded) -> Iterator[Any]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        found = p.chromium.launch(
            executable_path=CHROMIUM, args=["--autoplay-policy=no-user-gesture-required"]
        )
        yield found
        found.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A page whose checks may evaluate script (the site's CSP allows none but its own files)."""
    context = browser.new_context(bypass_csp=True)
    opened = context.new_page()
    yield opened
    context.close()


def test_track_page_plays_and_draws_its_waveform(server: Seeded, page: Any) -> None:
    response = page.goto(server.base + server.public_path)
    assert response.status == 200
    page.click("button.play")
    page.wait_for_function("document.querySelector('audio').currentTime > 0.5", timeout=15_000)
    painted = page.evaluate(
        """() => {
        const c = document.querySelector('canvas.waveform');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return n;
    }"""
    )
    assert painted > 1000
    page.wait_for_function("document.querySelector('.plays').textContent.trim() === '1'")
    page.screenshot(path=str(SHOTS / "track.png"))


def test_private_track_page_is_a_404(server: Seeded, page: Any) -> None:
    hidden = page.goto(server.base + server.private_path)
    assert hidden.status == 404 and "Not found" in page.content()
    shared = page.goto(f"{server.base}{server.private_path}/{server.secret}")
    assert shared.status == 200


@contextlib.contextmanager
def _embedding_page(body: bytes) -> Iterator[str]:
    """A third-party page embedding the widget, served from its own origin (another port)."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            return None

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


EMBED_PAGE = """<!DOCTYPE html><html><body>{iframe}
<script src="{base}/player/api.js"></script>
<script>
  window.events = [];
  const w = SC.Widget(document.querySelector("iframe"));
  const E = SC.Widget.Events;
  let paused = false, seeked = false;
  w.bind(E.READY, () => {{
    window.events.push("ready");
    w.getDuration((ms) => {{ window.duration = ms; w.setVolume(30); w.play(); }});
  }});
  w.bind(E.PLAY, () => window.events.push("play"));
  w.bind(E.PLAY_PROGRESS, (e) => {{
    const last = window.events[window.events.length - 1];
    if (last !== "playProgress") window.events.push("playProgress");
    if (!paused && e.currentPosition > 300) {{
      paused = true;
      w.pause();
    }}
  }});
  w.bind(E.PAUSE, () => {{
    window.events.push("pause");
    window.postMessage(JSON.stringify({{method: "pause"}}), "*");  // not from the player: ignored
    w.getVolume((v) => {{ window.volume = v; w.seekTo(4000); }});
  }});
  w.bind(E.SEEK, () => {{
    if (seeked) return; seeked = true;
    window.events.push("seek");
    w.getPosition((ms) => {{ window.position = ms; w.play(); }});
  }});
  w.bind(E.FINISH, () => {{
    window.events.push("finish");
    w.getCurrentSound((s) => {{ window.sound = s; }});
  }});
</script></body></html>"""


def test_widget_from_oembed_is_driven_by_the_widget_api(server: Seeded, page: Any) -> None:
    oembed = httpx.get(
        f"{server.base}/oembed", params={"url": server.base + server.public_path, "format": "json"}
    ).json()
    markup = EMBED_PAGE.format(iframe=oembed["html"], base=server.base).encode()
    logs: list[str] = []
    page.on("console", lambda m: logs.append(m.text))
    with _embedding_page(markup) as embedder:  # another origin (another port)
        page.goto(embedder)
        try:
            page.wait_for_function("window.sound !== undefined", timeout=30_000)
        except sync_api.Error:
            raise AssertionError((page.evaluate("window.events"), logs)) from None
    events = page.evaluate("window.events")
    assert events == [
        "ready",
        "play",
        "playProgress",
        "pause",
        "seek",
        "play",
        "playProgress",
        "finish",
    ], events
    assert 4900 <= page.evaluate("window.duration") <= 5200
    assert page.evaluate("window.volume") == 30
    assert 3900 <= page.evaluate("window.position") <= 4100
    assert page.evaluate("window.sound.title") == "Glass Tide"
    page.screenshot(path=str(SHOTS / "widget.png"))


def test_signed_in_listener_likes_and_reposts_from_the_page(server: Seeded, browser: Any) -> None:
    """Sign in through the auth BFF (authorization code + PKCE), like and repost from the page:
    the counts change, the like shows through the Web API, the token stays in its cookie."""
    context = browser.new_context()  # the site's CSP enforced
    page = context.new_page()
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    page.goto(server.base + server.public_path)
    page.click("a.signin")
    page.wait_for_selector("#username")
    assert "/auth/authorize" in page.url and "code_challenge=" in page.url
    page.fill("#username", "browserfan")
    page.fill("#password", "long enough pw")
    page.click("button[value=approve]")
    page.wait_for_url(server.base + server.public_path)
    assert page.inner_text(".me b") == "browserfan"

    page.click("button.like")
    sync_api.expect(page.locator(".meta .likes")).to_have_text("1")
    page.click("button.repost")
    sync_api.expect(page.locator(".meta .reposts")).to_have_text("1")
    sync_api.expect(page.locator("button.like")).to_have_attribute("aria-pressed", "true")
    page.reload()  # the page knows it: pressed, counted
    assert page.get_attribute("button.like", "aria-pressed") == "true"
    assert page.get_attribute("button.repost", "aria-pressed") == "true"
    assert page.inner_text(".meta .likes") == "1"
    page.screenshot(path=str(SHOTS / "signed-in.png"))

    likes = httpx.get(
        f"{server.base}/web/users/{server.fan_id}/likes",
        params={"client_id": server.web_client_id},
    )
    assert likes.status_code == 200, likes.text
    assert [i["track"]["id"] for i in likes.json()["collection"]] == [server.public_id]

    (cookie,) = [c for c in context.cookies() if c["name"] == "soundstack_session"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert not any(cookie["value"] in u for u in urls)
    assert page.evaluate("document.cookie").find(cookie["value"]) == -1
    forged = page.evaluate(  # the session cookie alone (no CSRF token) changes nothing
        f"fetch('/you/likes/{server.public_id}', {{method: 'DELETE'}}).then(r => r.status)"
    )
    assert forged == 403
    context.close()


def test_progressive_unavailable_plays_hls_through_hls_js(server: Seeded, page: Any) -> None:
    """The progressive file refused: the player falls back to the HLS playlist through the
    vendored hls.js (Chromium plays HLS through Media Source Extensions)."""
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    page.route("**/stream.mp3", lambda route: route.abort())
    page.goto(server.base + server.second_path)
    page.wait_for_selector(".player[data-source='hls']", timeout=15_000)
    page.click("button.play")
    page.wait_for_function("document.querySelector('audio').currentTime > 0.5", timeout=15_000)
    assert page.get_attribute(".player", "data-hls-by") == "hls.js"
    assert any(u.endswith("/assets/hls/hls.light.min.js") for u in fetched)
    assert any(".m3u8" in u for u in fetched), fetched


LOAD_PAGE = """<!DOCTYPE html><html><body>{iframe}
<script src="{base}/player/api.js"></script>
<script>
  window.readies = 0;
  const w = SC.Widget(document.querySelector("iframe"));
  w.bind(SC.Widget.Events.READY, () => {{
    window.readies += 1;
    if (window.readies === 1) {{
      w.getCurrentSound((s) => {{
        window.first = s;
        w.load("{second}", {{show_artwork: false, callback: () => {{ window.loaded = true; }}}});
      }});
    }} else {{
      w.getCurrentSound((s) => {{ window.sound = s; }});
    }}
  }});
</script></body></html>"""


def test_widget_load_replaces_the_sound(server: Seeded, page: Any) -> None:
    """`load(url, options)`: the player loads another track, READY comes again, and
    getCurrentSound answers the new one."""
    oembed = httpx.get(
        f"{server.base}/oembed", params={"url": server.base + server.public_path, "format": "json"}
    ).json()
    markup = LOAD_PAGE.format(
        iframe=oembed["html"], base=server.base, second=server.base + server.second_path
    )
    with _embedding_page(markup.encode()) as embedder:
        page.goto(embedder)
        page.wait_for_function("window.sound !== undefined", timeout=30_000)
    assert page.evaluate("window.first.title") == "Glass Tide"
    assert page.evaluate("window.sound.title") == "Second Wave"
    assert page.evaluate("window.readies") == 2 and page.evaluate("window.loaded") is True
    frame = page.frames[1]
    assert "show_artwork=false" in frame.url and frame.query_selector(".artwork") is None


DOCS = ("mobile", "web", "public", "partner", "rest", "auth", "media")


def test_docs_pages_render_offline(server: Seeded, browser: Any) -> None:
    """Every BFF's Swagger UI and ReDoc, their CSP enforced and every request elsewhere refused,
    list their operations."""
    outside: list[str] = []
    refused: list[str] = []
    page = browser.new_page()
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)

    def only_ours(route: Any) -> None:
        if route.request.url.startswith(server.base):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_ours)
    for bff in DOCS:
        page.goto(f"{server.base}/{bff}/schema")
        page.wait_for_selector(".opblock", timeout=30_000)
        assert page.locator(".opblock").count() >= 1, bff
        page.goto(f"{server.base}/{bff}/schema/redoc")
        operation = "[data-section-id*='operation/']"
        page.wait_for_selector(operation, timeout=30_000)
        assert page.locator(operation).count() >= 1, bff
    logo = "https://cdn.redoc.ly/redoc/logo-mini.svg"  # ReDoc's footer image, hidden when refused
    assert outside == [] and [m for m in refused if logo not in m] == [], (outside, refused)
    page.screenshot(path=str(SHOTS / "docs.png"))
    page.close()


def test_yt_dlp_generic_extractor_downloads_from_the_page(server: Seeded, tmp_path: Path) -> None:
    """yt-dlp, unchanged, on a permalink page (its generic extractor): the file is audio."""
    from yt_dlp import YoutubeDL

    from tests.integration.test_media_audio import decoded_seconds

    options = {
        "outtmpl": str(tmp_path / "%(title)s.%(ext)s"),
        "quiet": True,
        "no_warnings": True,
        "force_generic_extractor": True,
    }
    with YoutubeDL(options) as ydl:
        info = ydl.extract_info(server.base + server.public_path, download=True)
    files = list(tmp_path.iterdir())
    assert len(files) == 1, files
    assert abs(decoded_seconds(files[0]) - 5) < 0.3
    assert info is not None and re.search("Glass Tide", html.unescape(str(info.get("title"))))
