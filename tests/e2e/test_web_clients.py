"""What third-party api-v2 clients rely on (issue 16): one comment, a default avatar, api-v2's
transcodings, event times in activity lists, top tracks by plays."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from PIL import Image

from app.foundation.db import utcnow
from tests.e2e.conftest import Harness
from tests.factories import make_track, make_user, secret_of


async def _client(h: Harness) -> tuple[Any, dict[str, str]]:
    app, _ = await h.new_app("web-clients", bffs=("web",))
    return app, {"client_id": app.client_id}


async def test_one_comment_by_id_or_urn_hidden_with_its_track(harness: Harness) -> None:
    app, cid = await _client(harness)
    db = harness.services.deps.db
    owner, fan = await make_user(db), await make_user(db)
    public = await make_track(db, owner, title="Open Air")
    private = await make_track(db, owner, title="Secret", sharing="private")
    token = await secret_of(db, private)
    tracks, viewer = harness.services.tracks, harness.viewer(fan, app)
    said = await tracks.comment(viewer, public, "nice drop", 1_000)
    hushed = await tracks.comment(viewer, private, "psst", None, token)

    for ref in (str(said.id), f"soundcloud:comments:{said.id}"):
        r = await harness.client.get(f"/web/comments/{ref}", params=cid)
        assert r.status_code == 200, r.text
        body = r.json()
        assert (body["kind"], body["id"], body["body"], body["timestamp"]) == (
            "comment",
            said.id,
            "nice drop",
            1_000,
        )
        assert body["track_id"] == public and body["user"]["id"] == fan
        assert body["self"]["urn"] == f"soundcloud:comments:{said.id}"

    hidden = await harness.client.get(f"/web/comments/{hushed.id}", params=cid)
    missing = await harness.client.get(f"/web/comments/{hushed.id + 1000}", params=cid)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["message"] == missing.json()["message"] == "comment not found"
    shared = await harness.client.get(
        f"/web/comments/{hushed.id}", params=cid | {"secret_token": token}
    )
    assert shared.status_code == 200 and shared.json()["body"] == "psst"
    other_kind = await harness.client.get("/web/comments/soundcloud:tracks:1", params=cid)
    assert other_kind.status_code == 404


async def test_avatar_url_is_always_a_url_we_serve(sqlite_harness: Harness) -> None:
    h = sqlite_harness
    _, cid = await _client(h)
    user = await make_user(h.services.deps.db)
    body = (await h.client.get(f"/web/users/{user}", params=cid)).json()
    url = body["avatar_url"]
    assert url.startswith("http://testserver.local/media/") and url.endswith(".jpg")
    image = await h.client.get(url.removeprefix("http://testserver.local"))
    assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"
    assert "immutable" in image.headers["cache-control"]
    with Image.open(io.BytesIO(image.content)) as decoded:
        assert decoded.format == "JPEG" and decoded.size == (100, 100)
    big = await h.client.get("/media/avatars/default/t500x500.jpg")
    with Image.open(io.BytesIO(big.content)) as decoded:
        assert decoded.size == (500, 500)
    head = await h.client.head(url.removeprefix("http://testserver.local"))
    assert head.status_code == 200
    unknown = await h.client.get("/media/avatars/default/huge.jpg")
    assert unknown.status_code == 404


TRANSCODINGS = [
    ("mp3_128", "audio/mpeg"),
    ("hls_mp3_128", "application/vnd.apple.mpegurl"),
    ("hls_aac_160", "application/vnd.apple.mpegurl"),
    ("preview_mp3_128", "audio/mpeg"),
]


async def _with_media(h: Harness, track: int) -> None:
    async with h.services.deps.db.write() as uow:
        media = await uow.media.create(
            track, {"format": "mp3", "status": "finished", "duration_ms": 180_000}
        )
        for kind, content_type in TRANSCODINGS:
            ext = "m3u8" if kind.startswith("hls") else "mp3"
            await uow.media.add_transcoding(
                media.id,
                {
                    "kind": kind,
                    "storage_key": f"t/{track}/{kind}.{ext}",
                    "content_type": content_type,
                    "duration_ms": 30_000 if kind.startswith("preview") else 180_000,
                },
            )


async def test_transcodings_have_api_v2_shape_and_answer_a_url(sqlite_harness: Harness) -> None:
    h = sqlite_harness
    _, cid = await _client(h)
    db = h.services.deps.db
    owner = await make_user(db)
    track = await make_track(db, owner, title="Open Air")
    await _with_media(h, track)
    body = (await h.client.get(f"/web/tracks/{track}", params=cid)).json()
    found = {
        (t["format"]["protocol"], t["preset"], t["format"]["mime_type"], t["quality"], t["snipped"])
        for t in body["media"]["transcodings"]
    }
    assert found == {
        ("progressive", "mp3_1_0", "audio/mpeg", "sq", False),
        ("hls", "mp3_1_0", "audio/mpeg", "sq", False),
        ("hls", "aac_160k", 'audio/mp4; codecs="mp4a.40.2"', "sq", False),
    }
    for t in body["media"]["transcodings"]:
        path = t["url"].removeprefix("http://testserver.local")
        assert "/stream/" in path and "/preview/" not in path
        r = await h.client.get(path, params=cid)  # what yt-dlp and soundcloud-v2 send
        assert r.status_code == 200, r.text
        signed = r.json()["url"]
        ext = "m3u8" if t["format"]["protocol"] == "hls" else "mp3"
        assert signed.startswith("http://testserver.local/media/streams/") and ext in signed
    anonymous = await h.client.get(path)
    assert anonymous.status_code == 401


async def test_a_preview_is_snipped_under_a_preview_path(sqlite_harness: Harness) -> None:
    h = sqlite_harness
    _, cid = await _client(h)
    db = h.services.deps.db
    owner = await make_user(db)
    track = await make_track(db, owner, title="Premium", monetization="premium")
    await _with_media(h, track)
    body = (await h.client.get(f"/web/tracks/{track}", params=cid)).json()
    [preview] = body["media"]["transcodings"]
    assert (preview["preset"], preview["snipped"], preview["duration"]) == ("mp3_1_0", True, 30_000)
    path = preview["url"].removeprefix("http://testserver.local")
    assert "/preview/progressive" in path
    r = await h.client.get(path, params=cid)
    assert r.status_code == 200 and r.json()["url"].startswith("http://testserver.local/media/")
    bad = await h.client.get(path.replace("/preview/", "/elsewhere/"), params=cid)
    assert bad.status_code == 404


async def test_event_times_in_history_likes_and_reposts(harness: Harness) -> None:
    app, cid = await _client(harness)
    db = harness.services.deps.db
    owner, fan = await make_user(db), await make_user(db)
    track = await make_track(db, owner, title="Old Song")
    async with db.write() as uow:  # made long ago: a like must not borrow this date
        await uow.tracks.update(track, {"created_at": dt.datetime(2015, 5, 5, tzinfo=dt.UTC)})
    viewer = harness.viewer(fan, app)
    tracks = harness.services.tracks
    before = utcnow().replace(microsecond=0)
    await tracks.like(viewer, track)
    await tracks.repost(viewer, track)
    await tracks.record_play(viewer, track)
    token = await harness.user_token(app, fan)
    auth = {"Authorization": f"OAuth {token}"}

    history = (await harness.client.get("/web/me/play-history/tracks", headers=auth)).json()
    [played] = history["collection"]
    assert played["track_id"] == track
    assert played["played_at"] >= int(before.timestamp() * 1000)

    likes = (await harness.client.get(f"/web/users/{fan}/likes", params=cid)).json()
    [like] = likes["collection"]
    assert like["track"]["created_at"].startswith("2015-05-05")
    assert dt.datetime.fromisoformat(like["created_at"]) >= before

    reposts = (await harness.client.get(f"/web/stream/users/{fan}/reposts", params=cid)).json()
    [repost] = reposts["collection"]
    assert repost["type"] == "track-repost"
    assert dt.datetime.fromisoformat(repost["created_at"]) >= before


async def test_toptracks_are_ordered_by_plays(harness: Harness) -> None:
    app, cid = await _client(harness)
    db = harness.services.deps.db
    owner, fan = await make_user(db), await make_user(db)
    quiet = await make_track(db, owner, title="Quiet")
    hit = await make_track(db, owner, title="Hit")
    middle = await make_track(db, owner, title="Middle")
    viewer = harness.viewer(fan, app)
    for track, plays in ((hit, 3), (middle, 2), (quiet, 0)):
        for _ in range(plays):
            await harness.services.tracks.record_play(viewer, track)
    newest_first = (await harness.client.get(f"/web/users/{owner}/tracks", params=cid)).json()
    assert [t["id"] for t in newest_first["collection"]] == [middle, hit, quiet]
    top = (await harness.client.get(f"/web/users/{owner}/toptracks", params=cid)).json()
    assert [t["id"] for t in top["collection"]] == [hit, middle, quiet]
    assert [t["playback_count"] for t in top["collection"]] == [3, 2, 0]
    one = await harness.client.get(f"/web/users/{owner}/toptracks", params=cid | {"limit": 1})
    assert [t["id"] for t in one.json()["collection"]] == [hit]
    bad = await harness.client.get(f"/web/users/{owner}/toptracks", params=cid | {"limit": 0})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "limit"
