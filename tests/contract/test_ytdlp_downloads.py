"""A real downloader, yt-dlp (PyPI, pinned), against a live Soundstack: one track, a playlist
and a user's tracks downloaded end to end through the Web API (api-v2) — progressive and HLS —
and every file decodes as audio. The audio is uploaded first with the legacy `soundcloud` SDK,
which sends its `oauth_token` as a multipart form field.

yt-dlp's SoundCloud extractors keep SoundCloud's address in three places: the API base
(`_API_V2_BASE`), the site (`_BASE_URL`) and the URL patterns that pick an extractor
(`_VALID_URL`). `pointed_at` swaps `soundcloud.com` for our host in exactly those, nothing else:
the extractors' code runs unchanged (resolve, transcodings, `{"url": …}` stream lookups,
`linked_partitioning` pages, HLS assembly).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import msgspec
import pytest
import soundcloud as legacy_sdk
import yt_dlp
from yt_dlp.extractor import get_info_extractor
from yt_dlp.extractor import soundcloud as ytdlp_soundcloud

from app.value_added.registry import build_services
from tests.conftest import migrate, run_in_thread
from tests.contract.public_seed import SECRET, serve_app
from tests.integration.test_media_audio import sine

SECONDS = 3.0
KEYS = ("Soundcloud", "SoundcloudSet", "SoundcloudUser")
"""The extractors of a track, a set and a user's tracks."""


class World(msgspec.Struct):
    base: str
    client_id: str
    artist: str
    tracks: list[int]
    playlist: str


def _extractor_classes() -> list[type[Any]]:
    """Each extractor as YoutubeDL picks it (a lazy stand-in) and the class that runs it."""
    found: list[type[Any]] = []
    for key in KEYS:
        picked = get_info_extractor(key)
        found += [picked, getattr(picked, "real_class", picked)]
    return list(dict.fromkeys(found))


@contextlib.contextmanager
def pointed_at(base: str) -> Iterator[None]:
    """yt-dlp's SoundCloud extractors, with `soundcloud.com` replaced by our host."""
    host = re.escape(base.removeprefix("http://"))
    sc = ytdlp_soundcloud.SoundcloudBaseIE
    saved: list[tuple[type[Any], str, Any]] = [
        (sc, "_API_V2_BASE", sc._API_V2_BASE),
        (sc, "_BASE_URL", sc._BASE_URL),
    ]
    sc._API_V2_BASE, sc._BASE_URL = f"{base}/web/", f"{base}/"
    classes = _extractor_classes()
    for ie in classes:
        saved.append((ie, "_VALID_URL", ie._VALID_URL))
        ie._VALID_URL = ie._VALID_URL.replace(r"soundcloud\.com", host)
        _forget_pattern(ie)
    try:
        yield
    finally:
        for owner, name, value in saved:
            setattr(owner, name, value)
        for ie in classes:
            _forget_pattern(ie)


def _forget_pattern(ie: type[Any]) -> None:
    """yt-dlp compiles `_VALID_URL` once per class: drop the compiled one."""
    if "_VALID_URL_RE" in ie.__dict__:
        delattr(ie, "_VALID_URL_RE")


def _json(url: str, token: str | None = None, body: dict[str, Any] | None = None) -> Any:
    headers = {"Authorization": f"OAuth {token}"} if token else {}
    data = None
    if body is not None:
        data, headers["Content-Type"] = msgspec.json.encode(body), "application/json"
    request = urllib.request.Request(url, data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as r:
        return msgspec.json.decode(r.read())


def _register(db_url: str) -> tuple[str, str]:
    """An app for the web and public APIs, and a signed-in artist's token."""

    async def go() -> tuple[str, str]:
        services = build_services(db_url, SECRET)
        try:
            identity = services.identity
            created = await identity.create_app("downloaders", ["web", "public"], ["read", "write"])
            app = await identity.app_by_client_id(created.client_id)
            assert app is not None
            artist = await identity.create_user("tonemaker", "correct horse battery")
            return created.client_id, (await identity.issue_for_user(app, artist.id)).access_token
        finally:
            await services.close()

    return run_in_thread(lambda: asyncio.run(go()))


def _upload(base: str, client_id: str, token: str, folder: Path, n: int) -> list[Any]:
    """Tracks uploaded with the legacy SDK (its `oauth_token` is a multipart field)."""
    sdk = legacy_sdk.Client(
        client_id=client_id,
        access_token=token,
        host=base.removeprefix("http://") + "/public",
        use_ssl=False,
    )
    uploaded = []
    for i in range(n):
        path = folder / f"tone{i}.mp3"
        path.write_bytes(sine(SECONDS))
        with path.open("rb") as audio:
            uploaded.append(sdk.post("/tracks", track={"title": f"Tone {i}", "asset_data": audio}))
    return uploaded


def _wait_transcoded(base: str, client_id: str, ids: list[int], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    pending = set(ids)
    while pending and time.monotonic() < deadline:
        for ident in list(pending):
            track = _json(f"{base}/web/tracks/{ident}?client_id={client_id}")
            if len(track["media"]["transcodings"]) == 3:
                pending.discard(ident)
        if pending:
            time.sleep(0.2)
    assert not pending, f"tracks {sorted(pending)} were not transcoded in {timeout} s"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("downloaders")
    db_url = f"sqlite+aiosqlite:///{tmp / 'soundstack.db'}"
    migrate(db_url)
    client_id, token = _register(db_url)
    with serve_app(tmp, db_url, SECRET, tmp / "media", workers=True) as (base, _port):
        uploaded = _upload(base, client_id, token, tmp, 3)
        ids = [t.id for t in uploaded]
        _wait_transcoded(base, client_id, ids)
        playlist = _json(
            f"{base}/web/playlists",
            token,
            {"playlist": {"title": "Tone Set", "sharing": "public", "tracks": ids[:2]}},
        )
        yield World(
            base=base,
            client_id=client_id,
            artist=uploaded[0].user["permalink"],
            tracks=ids,
            playlist=playlist["permalink"],
        )


def _decoded_seconds(path: Path) -> float:
    """Decode every audio frame of the file; its length in seconds."""
    samples, rate = 0, 0
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        for frame in container.decode(stream):
            samples += frame.samples
            rate = frame.sample_rate
    return samples / rate if rate else 0.0


def _download(world: World, url: str, fmt: str, folder: Path) -> list[tuple[dict[str, Any], Path]]:
    """yt-dlp downloads `url` (a track, a set, a user's tracks) in format `fmt`."""
    options = {
        "outtmpl": str(folder / "%(id)s.%(format_id)s.%(ext)s"),
        "format": fmt,
        "cachedir": str(folder / "cache"),
        "quiet": True,
        "noprogress": True,
        "fixup": "never",  # no ffmpeg here: keep the bytes as downloaded
    }
    with pointed_at(world.base), yt_dlp.YoutubeDL(options) as ydl:  # type: ignore[arg-type]
        ydl.cache.store("soundcloud", "client_id", world.client_id)
        info = ydl.extract_info(url, download=True)
    entries = info.get("entries") or [info]
    return [(e, Path(e["requested_downloads"][0]["filepath"])) for e in entries]


@pytest.mark.parametrize("fmt", ["http_mp3_1_0", "hls_mp3_1_0", "hls_aac_160k"])
def test_a_track_downloads_and_decodes(world: World, fmt: str, tmp_path: Path) -> None:
    track = _json(f"{world.base}/web/tracks/{world.tracks[0]}?client_id={world.client_id}")
    [(info, path)] = _download(
        world, f"{world.base}/{world.artist}/{track['permalink']}", fmt, tmp_path
    )
    assert (info["id"], info["title"], info["uploader"]) == (
        str(world.tracks[0]),
        "Tone 0",
        "tonemaker",
    )
    assert info["format_id"] == fmt and abs(info["duration"] - SECONDS) < 0.5
    assert abs(_decoded_seconds(path) - SECONDS) < 0.5


def test_a_playlist_downloads_and_decodes(world: World, tmp_path: Path) -> None:
    url = f"{world.base}/{world.artist}/sets/{world.playlist}"
    found = _download(world, url, "http_mp3_1_0", tmp_path)
    assert [int(info["id"]) for info, _ in found] == world.tracks[:2]
    for _, path in found:
        assert abs(_decoded_seconds(path) - SECONDS) < 0.5


def test_a_users_tracks_download_and_decode(world: World, tmp_path: Path) -> None:
    found = _download(world, f"{world.base}/{world.artist}/tracks", "hls_mp3_1_0", tmp_path)
    assert sorted(int(info["id"]) for info, _ in found) == sorted(world.tracks)
    for _, path in found:
        assert abs(_decoded_seconds(path) - SECONDS) < 0.5
