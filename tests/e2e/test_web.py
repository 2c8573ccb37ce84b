"""Web API (api-v2 compatible) over HTTP: fields=, 404s, 501s, errors, ETags, stream URLs."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import Harness
from tests.factories import make_track, make_user, secret_of


async def _world(h: Harness) -> dict[str, Any]:
    app, _ = await h.new_app("web-e2e", bffs=("web",))
    db = h.services.deps.db
    owner = await make_user(db)
    public = await make_track(db, owner, title="Open Air")
    private = await make_track(db, owner, title="Secret", sharing="private")
    return {
        "client_id": app.client_id,
        "owner": owner,
        "public": public,
        "private": private,
        "token": await secret_of(db, private),
        "owner_token": await h.user_token(app, owner),
    }


async def test_fields_returns_exactly_what_was_asked(sqlite_harness: Harness) -> None:
    w = await _world(sqlite_harness)
    r = await sqlite_harness.client.get(
        f"/web/tracks/{w['public']}",
        params={"client_id": w["client_id"], "fields": "title,playback_count,user"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"id", "kind", "title", "playback_count", "user"}
    assert body["title"] == "Open Air" and body["playback_count"] == 0
    assert body["user"]["id"] == w["owner"]
    full = await sqlite_harness.client.get(
        f"/web/tracks/{w['public']}", params={"client_id": w["client_id"]}
    )
    assert {"media", "policy", "urn", "permalink_url"} <= set(full.json())
    assert full.json()["created_at"].endswith("Z")


async def test_fields_on_collections_and_users(sqlite_harness: Harness) -> None:
    w = await _world(sqlite_harness)
    params = {"client_id": w["client_id"], "fields": "username,track_count"}
    r = await sqlite_harness.client.get(f"/web/users/{w['owner']}", params=params)
    assert set(r.json()) == {"id", "kind", "username", "track_count"}
    r = await sqlite_harness.client.get(
        f"/web/users/{w['owner']}/tracks",
        params={"client_id": w["client_id"], "fields": "title", "limit": 1},
    )
    page = r.json()
    assert [set(t) for t in page["collection"]] == [{"id", "kind", "title"}]
    assert page["next_href"] is None or page["next_href"].startswith("http://testserver.local/web/")


async def test_unknown_field_is_400_naming_it(sqlite_harness: Harness) -> None:
    w = await _world(sqlite_harness)
    r = await sqlite_harness.client.get(
        f"/web/tracks/{w['public']}", params={"client_id": w["client_id"], "fields": "title,bogus"}
    )
    assert r.status_code == 400
    body = r.json()
    assert body["field"] == "bogus" and body["code"] == 400
    assert body["status"] == "400 - Bad Request"
    assert "bogus" in body["errors"][0]["error_message"]


async def test_private_track_is_404_like_a_missing_one(sqlite_harness: Harness) -> None:
    w = await _world(sqlite_harness)
    get = sqlite_harness.client.get
    cid = {"client_id": w["client_id"]}
    hidden = await get(f"/web/tracks/{w['private']}", params=cid)
    missing = await get("/web/tracks/999999", params=cid)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert hidden.json()["status"] == "404 - Not Found"
    shared = await get(f"/web/tracks/{w['private']}", params={**cid, "secret_token": w["token"]})
    assert shared.status_code == 200 and shared.json()["sharing"] == "private"
    by_urn = await get(f"/web/tracks/soundcloud:tracks:{w['public']}", params=cid)
    assert by_urn.status_code == 200
    own = await get(
        f"/web/tracks/{w['private']}",
        headers={"Authorization": f"OAuth {w['owner_token']}"},
        params=cid,
    )
    assert own.status_code == 200 and own.json()["secret_token"] == w["token"]


@pytest.mark.parametrize(
    "path",
    [
        "/web/users/{u}/conversations",
        "/web/users/{u}/conversations/unread",
        "/web/users/{u}/conversations/7/messages",
        "/web/users/{u}/emails",
    ],
)
async def test_conversations_messages_emails_are_501(sqlite_harness: Harness, path: str) -> None:
    w = await _world(sqlite_harness)
    r = await sqlite_harness.client.get(
        path.format(u=w["owner"]), headers={"Authorization": f"OAuth {w['owner_token']}"}
    )
    assert r.status_code == 501
    assert "not supported" in r.json()["errors"][0]["error_message"]


async def test_etag_and_304(sqlite_harness: Harness) -> None:
    w = await _world(sqlite_harness)
    url, cid = f"/web/tracks/{w['public']}", {"client_id": w["client_id"]}
    first = await sqlite_harness.client.get(url, params=cid)
    etag = first.headers["etag"]
    assert first.headers["cache-control"].startswith("public")
    again = await sqlite_harness.client.get(url, params=cid, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""


async def test_me_needs_a_user(sqlite_harness: Harness) -> None:
    w = await _world(sqlite_harness)
    r = await sqlite_harness.client.get("/web/me", params={"client_id": w["client_id"]})
    assert r.status_code == 401 and r.json()["reason"] == "user_required"


async def test_bad_limit_and_offset_are_400(sqlite_harness: Harness) -> None:
    w = await _world(sqlite_harness)
    url = f"/web/users/{w['owner']}/tracks"
    r = await sqlite_harness.client.get(url, params={"client_id": w["client_id"], "limit": 500})
    assert r.status_code == 400 and r.json()["field"] == "limit"
    r = await sqlite_harness.client.get(url, params={"client_id": w["client_id"], "offset": "xx"})
    assert r.status_code == 400


async def test_transcoding_url_answers_a_signed_media_url(sqlite_harness: Harness) -> None:
    if not hasattr(sqlite_harness.services.tracks, "streams"):
        pytest.skip("TracksService.streams (the media engineer's stream grants) is not there yet")
    w = await _world(sqlite_harness)
    db = sqlite_harness.services.deps.db
    async with db.write() as uow:
        media = await uow.media.create(
            w["public"], {"format": "mp3", "status": "finished", "duration_ms": 180_000}
        )
        await uow.media.add_transcoding(
            media.id,
            {
                "kind": "mp3_128",
                "storage_key": "x.mp3",
                "content_type": "audio/mpeg",
                "duration_ms": 180_000,
            },
        )
    cid = {"client_id": w["client_id"]}
    track = (await sqlite_harness.client.get(f"/web/tracks/{w['public']}", params=cid)).json()
    grants = await sqlite_harness.services.tracks.streams(sqlite_harness.viewer(None), w["public"])
    if not grants:
        pytest.fail("the Tracks VAS grants no stream for a finished, public track")
    transcoding = track["media"]["transcodings"][0]
    path = transcoding["url"].removeprefix("http://testserver.local")
    r = await sqlite_harness.client.get(path, params=cid)
    assert r.status_code == 200, r.text
    assert r.json()["url"].startswith("http://testserver.local/media/")
