"""The media edge over HTTP: signed streams with Range/HEAD/ETag, HLS, downloads, artwork — the
same tests on both storage adapters (local files and S3 on the moto server)."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import io

import pytest
from PIL import Image

from app.value_added.common.errors import PayloadTooLarge, Unprocessable, UnsupportedMediaType
from app.value_added.creator import PlaylistDraft, TrackChanges, TrackDraft
from app.value_added.media import MediaWorker, artwork_url, download_path
from app.value_added.media.urls import signed_path
from tests.e2e.conftest import Harness
from tests.factories import tampered
from tests.integration.test_media_audio import chunks_of, decoded_seconds, sine


@functools.cache
def audio(seconds: float = 12) -> bytes:
    return sine(seconds)


async def processed_track(h: Harness, seconds: float = 12, **draft: object) -> tuple[int, int]:
    """(owner id, track id) of an uploaded track of `seconds` whose processing finished."""
    owner = await h.new_user("artist")
    viewer = h.viewer(owner)
    track = await h.services.creator.upload_track(
        viewer,
        owner,
        TrackDraft(title="Naïve Song", **draft),
        chunks_of(audio(seconds)),
        "n.mp3",  # type: ignore[arg-type]
    )
    await MediaWorker(h.services.media).run_until_idle()  # races the in-process worker safely
    for _ in range(200):
        if await h.services.tracks.streams(viewer, track.id):
            return owner, track.id
        await asyncio.sleep(0.05)
    raise AssertionError("processing did not finish")


async def test_progressive_stream_ranges_head_and_conditional(media_harness: Harness) -> None:
    h = media_harness
    owner, track_id = await processed_track(h)
    grants = await h.services.tracks.streams(h.viewer(owner), track_id)
    url = next(g.url for g in grants if g.kind == "progressive")

    full = await h.client.get(url)
    assert full.status_code == 200
    assert full.headers["content-type"] == "audio/mpeg"
    assert full.headers["accept-ranges"] == "bytes"
    assert full.headers["etag"] and full.headers["last-modified"]
    assert "immutable" in full.headers["cache-control"]
    assert int(full.headers["content-length"]) == len(full.content)
    assert abs(decoded_seconds(full.content) - 12) < 0.2

    part = await h.client.get(url, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == full.content[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{len(full.content)}"
    tail = await h.client.get(url, headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.content == full.content[-10:]
    beyond = await h.client.get(url, headers={"Range": f"bytes={len(full.content)}-"})
    assert beyond.status_code == 416
    assert beyond.headers["content-range"] == f"bytes */{len(full.content)}"
    stale = await h.client.get(url, headers={"Range": "bytes=0-9", "If-Range": '"old"'})
    assert stale.status_code == 200 and len(stale.content) == len(full.content)

    head = await h.client.head(url)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(full.content))
    cached = await h.client.get(url, headers={"If-None-Match": full.headers["etag"]})
    assert cached.status_code == 304 and cached.content == b""
    # a range request is not a play
    counts = await h.services.tracks.record_play(h.viewer(owner), track_id)
    assert counts == 1


async def test_hls_playlist_segments_are_signed_and_play(media_harness: Harness) -> None:
    h = media_harness
    owner, track_id = await processed_track(h)
    grants = await h.services.tracks.streams(h.viewer(owner), track_id)
    for fmt in ("aac_160", "mp3_128"):
        url = next(g.url for g in grants if g.kind == "hls" and g.format == fmt)
        playlist = await h.client.get(url)
        assert playlist.status_code == 200
        assert playlist.headers["content-type"].startswith("application/vnd.apple.mpegurl")
        lines = playlist.text.splitlines()
        assert lines[0] == "#EXTM3U" and "#EXT-X-ENDLIST" in lines
        segments = [line for line in lines if line and not line.startswith("#")]
        assert len(segments) == 2 and all(s.startswith("/media/streams/") for s in segments)
        body = b""
        for segment in segments:
            got = await h.client.get(segment)
            assert got.status_code == 200 and got.headers["content-type"] == "video/mp2t"
            body += got.content
        assert abs(decoded_seconds(body) - 12) < 0.3


async def test_tampered_and_expired_signatures_are_403(media_harness: Harness) -> None:
    h = media_harness
    owner, track_id = await processed_track(h, 3)
    url = (await h.services.tracks.streams(h.viewer(owner), track_id))[0].url
    token = url.split("/")[3]
    assert (await h.client.get(url.replace(token, tampered(token)))).status_code == 403
    claims = (await h.services.tracks.authorize_media(token)).claims
    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    expired = signed_path(h.services.deps.grants, claims, past)
    response = await h.client.get(expired)
    assert response.status_code == 403
    assert (await h.client.get("/media/streams/not-a-token/x.mp3")).status_code == 403


async def test_preview_only_and_blocked_listeners(media_harness: Harness) -> None:
    h = media_harness
    owner, track_id = await processed_track(h, monetization="premium")
    listener = h.viewer(None)
    only = await h.services.tracks.streams(listener, track_id)
    assert [g.preview for g in only] == [True]
    got = await h.client.get(only[0].url)
    assert got.status_code == 200 and abs(decoded_seconds(got.content) - 12) < 0.2
    await h.services.creator.update_track(
        h.viewer(owner), track_id, TrackChanges(territories=["US"])
    )
    with pytest.raises(Exception) as blocked:
        await h.services.tracks.streams(listener, track_id)
    assert getattr(blocked.value, "reason", None) == "blocked"


async def test_download_serves_the_original_as_attachment(media_harness: Harness) -> None:
    h = media_harness
    _, track_id = await processed_track(h, downloadable=True)
    grant = await h.services.tracks.download(h.viewer(None), track_id)
    response = await h.client.get(download_path(grant.token))
    assert response.status_code == 200
    assert response.content == audio()
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''Na%C3%AFve%20Song.mp3" in disposition
    assert (await h.client.get(download_path(grant.token + "x"))).status_code == 403


def _png(width: int, height: int, mode: str = "RGB") -> bytes:
    buf = io.BytesIO()
    Image.new(mode, (width, height), "red" if mode == "RGB" else 1).save(buf, "PNG")
    return buf.getvalue()


async def test_artwork_variants_avatars_and_bad_images(media_harness: Harness) -> None:
    h = media_harness
    owner = await h.new_user("painter")
    me = h.viewer(owner)
    creator = h.services.creator
    track = await creator.create_track(me, owner, TrackDraft(title="Art"))
    updated = await creator.set_track_artwork(me, track.id, _png(800, 600))
    assert updated.artwork_key
    for size, edge in (("t500x500", 500), ("large", 100), ("small", 32)):
        url = artwork_url(updated.artwork_key, size)
        assert url == f"/media/artwork/{updated.artwork_key}/{size}.jpg"
        got = await h.client.get(url)
        assert got.status_code == 200 and got.headers["content-type"] == "image/jpeg"
        assert got.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert Image.open(io.BytesIO(got.content)).size == (edge, edge)
    first = updated.artwork_key
    again = await creator.set_track_artwork(me, track.id, _png(64, 64))
    # (the replaced artwork's deletion is queued and run at once, unless the app's background
    # media worker claimed it first: then it is gone when that worker finishes)
    for _ in range(100):
        if await h.services.media.deletions.pending() == []:
            break
        await asyncio.sleep(0.05)
    assert (await h.client.get(f"/media/artwork/{first}/large.jpg")).status_code == 404
    assert (await h.client.get(f"/media/artwork/{again.artwork_key}/huge.jpg")).status_code == 404
    assert (await h.client.get("/media/artwork/../../etc/large.jpg")).status_code == 404

    playlist = await creator.create_playlist(me, owner, PlaylistDraft(title="Set"))
    assert (await creator.set_playlist_artwork(me, playlist.id, _png(50, 50))).artwork_key
    avatar = await creator.set_avatar(me, owner, _png(40, 40))
    assert (await h.client.get(f"/media/artwork/{avatar}/small.jpg")).status_code == 200

    with pytest.raises(UnsupportedMediaType):
        await creator.set_track_artwork(me, track.id, b"GIF89a but not really an image")
    with pytest.raises(Unprocessable):  # decompression bomb: 64 megapixels of 1-bit PNG
        await creator.set_track_artwork(me, track.id, _png(8000, 8000, "1"))
    with pytest.raises(PayloadTooLarge):
        await creator.set_track_artwork(me, track.id, b"\x89PNG" + b"\0" * 11 * 1024 * 1024)
