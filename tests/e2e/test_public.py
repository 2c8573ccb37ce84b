"""The Public API (SoundCloud-compatible) over HTTP: URNs, shapes, paging, auth and errors."""

from __future__ import annotations

import asyncio
from typing import Any

from app.value_added.media import MediaWorker
from tests.e2e.conftest import Harness
from tests.factories import make_playlist, make_track, make_user, secret_of
from tests.integration.test_media_audio import decoded_seconds, sine


async def _setup(h: Harness) -> dict[str, Any]:
    db = h.services.deps.db
    app, _ = await h.new_app("public-client", bffs=("public",))
    me = await h.new_user("listener")
    artist = await make_user(db)
    tracks = [await make_track(db, artist, title=f"Song {i}", genre="house") for i in range(3)]
    private = await make_track(db, artist, sharing="private")
    playlist = await make_playlist(db, artist, tracks)
    return {
        "app": app,
        "me": me,
        "artist": artist,
        "tracks": tracks,
        "private": private,
        "playlist": playlist,
        "auth": {"Authorization": f"OAuth {await h.user_token(app, me)}"},
        "app_auth": {"Authorization": f"OAuth {await h.app_token(app)}"},
    }


async def test_track_by_urn_and_numeric_id(sqlite_harness: Harness) -> None:
    h = sqlite_harness
    s = await _setup(h)
    tid = s["tracks"][0]
    for ref in (f"soundcloud:tracks:{tid}", str(tid)):
        r = await h.client.get(f"/public/tracks/{ref}", headers=s["app_auth"])
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["urn"] == f"soundcloud:tracks:{tid}" and body["id"] == tid
        assert body["kind"] == "track" and body["access"] == "playable"
        assert body["user"]["urn"] == f"soundcloud:users:{s['artist']}"
        assert len(body["created_at"]) == len("2019/01/15 15:40:49 +0000")
        assert body["created_at"].endswith(" +0000") and body["created_at"][4] == "/"


async def test_private_track_needs_secret_token(sqlite_harness: Harness) -> None:
    h = sqlite_harness
    s = await _setup(h)
    urn = f"soundcloud:tracks:{s['private']}"
    missing = await h.client.get(f"/public/tracks/{urn}", headers=s["auth"])
    assert missing.status_code == 404
    err = missing.json()
    assert err["code"] == 404 and err["status"].startswith("404") and err["link"]
    assert err["errors"][0]["error_message"] == err["message"]
    token = await secret_of(h.services.deps.db, s["private"])
    found = await h.client.get(
        f"/public/tracks/{urn}", params={"secret_token": token}, headers=s["auth"]
    )
    assert found.status_code == 200


async def test_linked_partitioning_and_bare_arrays(sqlite_harness: Harness) -> None:
    h = sqlite_harness
    s = await _setup(h)
    path = f"/public/users/soundcloud:users:{s['artist']}/tracks"
    bare = await h.client.get(path, headers=s["auth"])
    assert isinstance(bare.json(), list) and len(bare.json()) == 3
    first = await h.client.get(
        path, params={"linked_partitioning": "true", "limit": 2}, headers=s["auth"]
    )
    page = first.json()
    assert len(page["collection"]) == 2
    assert page["next_href"].startswith("http://testserver.local/public/users/")
    assert "linked_partitioning=true" in page["next_href"]
    second = await h.client.get(page["next_href"], headers=s["auth"])
    assert len(second.json()["collection"]) == 1 and "next_href" not in second.json()


async def test_search_filters_and_access(sqlite_harness: Harness) -> None:
    h = sqlite_harness
    s = await _setup(h)
    db = h.services.deps.db
    blocked = await make_track(db, s["artist"], territories=["FR"], genre="house")
    params = {"genres": "house", "linked_partitioning": "1"}
    r = await h.client.get("/public/tracks", params=params, headers=s["auth"])
    found = {t["id"] for t in r.json()["collection"]}
    assert set(s["tracks"]) <= found and blocked not in found
    r = await h.client.get(
        "/public/tracks", params={**params, "access": "blocked"}, headers=s["auth"]
    )
    assert {t["id"] for t in r.json()["collection"]} == {blocked}
    r = await h.client.get(
        "/public/tracks",
        params={"urns": f"soundcloud:tracks:{s['tracks'][1]}", "duration[from]": "1000"},
        headers=s["auth"],
    )
    assert [t["id"] for t in r.json()] == [s["tracks"][1]]


async def test_me_needs_a_user_token(sqlite_harness: Harness) -> None:
    h = sqlite_harness
    s = await _setup(h)
    assert (await h.client.get("/public/me", headers=s["app_auth"])).status_code == 401
    me = await h.client.get("/public/me", headers=s["auth"])
    assert me.status_code == 200 and me.json()["urn"] == f"soundcloud:users:{s['me']}"
    anonymous = await h.client.get("/public/me")
    assert anonymous.status_code == 401 and anonymous.json()["code"] == 401


async def test_like_comment_follow_and_lists(sqlite_harness: Harness) -> None:
    h = sqlite_harness
    s = await _setup(h)
    urn = f"soundcloud:tracks:{s['tracks'][0]}"
    assert (
        await h.client.post(f"/public/likes/tracks/{urn}", headers=s["auth"])
    ).status_code == 200
    liked = await h.client.get("/public/me/likes/tracks", headers=s["auth"])
    assert [t["urn"] for t in liked.json()] == [urn]
    c = await h.client.post(
        f"/public/tracks/{urn}/comments",
        json={"comment": {"body": "nice drop", "timestamp": 1500}},
        headers=s["auth"],
    )
    assert c.status_code == 201 and c.json()["timestamp"] == "1500"
    empty = await h.client.post(
        f"/public/tracks/{urn}/comments", json={"comment": {"body": " "}}, headers=s["auth"]
    )
    assert empty.status_code == 422
    comments = await h.client.get(f"/public/tracks/{urn}/comments", headers=s["auth"])
    assert comments.json()["collection"][0]["body"] == "nice drop"
    follow = await h.client.put(
        f"/public/me/followings/soundcloud:users:{s['artist']}", headers=s["auth"]
    )
    assert follow.status_code == 200
    feed = await h.client.get("/public/me/feed", headers=s["auth"])
    assert {a["origin"]["id"] for a in feed.json()["collection"]} == set(s["tracks"])
    favoriters = await h.client.get(f"/public/tracks/{urn}/favoriters", headers=s["auth"])
    assert favoriters.json()["collection"][0]["id"] == s["me"]


async def test_resolve_redirects_with_location(sqlite_harness: Harness) -> None:
    h = sqlite_harness
    s = await _setup(h)
    track = await h.client.get(f"/public/tracks/{s['tracks'][0]}", headers=s["auth"])
    r = await h.client.get(
        "/public/resolve",
        params={"url": track.json()["permalink_url"]},
        headers=s["auth"],
        follow_redirects=False,
    )
    assert r.status_code == 302
    assert r.headers["location"].endswith(f"/public/tracks/soundcloud:tracks:{s['tracks'][0]}")
    assert r.json()["location"] == r.headers["location"]
    missing = await h.client.get(
        "/public/resolve", params={"url": "https://soundcloud.com/nobody"}, headers=s["auth"]
    )
    assert missing.status_code == 404


async def test_playlists_create_update_and_show_tracks(sqlite_harness: Harness) -> None:
    h = sqlite_harness
    s = await _setup(h)
    mine = await make_track(h.services.deps.db, s["me"])
    created = await h.client.post(
        "/public/playlists",
        json={"playlist": {"title": "Mix", "tracks": [{"urn": f"soundcloud:tracks:{mine}"}]}},
        headers=s["auth"],
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert [t["id"] for t in body["tracks"]] == [mine]
    urn = body["urn"]
    updated = await h.client.put(
        f"/public/playlists/{urn}",
        json={"playlist": {"title": "Mix 2", "tracks": [{"urn": str(s["tracks"][0])}]}},
        headers=s["auth"],
    )
    assert updated.json()["title"] == "Mix 2"
    assert [t["id"] for t in updated.json()["tracks"]] == [s["tracks"][0]]
    bare = await h.client.get(
        f"/public/playlists/{urn}", params={"show_tracks": "false"}, headers=s["auth"]
    )
    assert "tracks" not in bare.json()
    gone = await h.client.delete(f"/public/playlists/{urn}", headers=s["auth"])
    assert gone.status_code == 200


async def test_track_upload_and_form_update(harness: Harness) -> None:
    """Real audio uploaded over HTTP, transcoded, streamed and decoded; then edited."""
    h = harness
    s = await _setup(h)
    created = await h.client.post(
        "/public/tracks",
        data={"track[title]": "Demo", "track[sharing]": "private"},
        files={"track[asset_data]": ("demo.wav", sine(6, "wav"), "audio/wav")},
        headers=s["auth"],
    )
    assert created.status_code == 201, created.text
    urn = created.json()["urn"]
    assert created.json()["sharing"] == "private"
    await MediaWorker(h.services.media).run_until_idle()  # or the in-process worker has it
    for _ in range(200):
        streams = await h.client.get(f"/public/tracks/{urn}/streams", headers=s["auth"])
        assert streams.status_code == 200, streams.text
        if streams.json():
            break
        await asyncio.sleep(0.05)
    mp3 = await h.client.get(streams.json()["http_mp3_128_url"])
    assert mp3.status_code == 200 and mp3.headers["content-type"] == "audio/mpeg"
    assert abs(decoded_seconds(mp3.content) - 6) < 0.2
    updated = await h.client.put(
        f"/public/tracks/{urn}", data={"track[title]": "Demo v2"}, headers=s["auth"]
    )
    assert updated.status_code == 200 and updated.json()["title"] == "Demo v2"
    again = await h.client.put(
        f"/public/tracks/{urn}", json={"track": {"genre": "Ambient"}}, headers=s["auth"]
    )
    assert again.json()["genre"] == "Ambient"


async def test_upload_of_something_that_is_not_audio_is_refused(sqlite_harness: Harness) -> None:
    h = sqlite_harness
    s = await _setup(h)
    refused = await h.client.post(
        "/public/tracks",
        data={"track[title]": "Fake"},
        files={"track[asset_data]": ("fake.mp3", b"RIFF not really audio", "audio/mpeg")},
        headers=s["auth"],
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["message"]
    mine = await h.client.get("/public/me/tracks", headers=s["auth"])
    assert mine.json() == [] or mine.json().get("collection") == []


async def test_sign_out_revokes_the_token(sqlite_harness: Harness) -> None:
    h = sqlite_harness
    s = await _setup(h)
    assert (await h.client.post("/public/sign-out", headers=s["auth"])).status_code == 200
    assert (await h.client.get("/public/me", headers=s["auth"])).status_code == 401


async def test_legacy_connect_and_token(sqlite_harness: Harness) -> None:
    h = sqlite_harness
    app, secret = await h.new_app("legacy", bffs=("public",))
    r = await h.client.get(
        "/public/connect",
        params={"client_id": app.client_id, "response_type": "code"},
        follow_redirects=False,
    )
    assert r.status_code == 302 and "/auth/authorize?client_id=" in r.headers["location"]
    token = await h.client.post(
        "/public/oauth2/token",
        data={
            "grant_type": "client_credentials",
            "client_id": app.client_id,
            "client_secret": secret,
        },
    )
    assert token.status_code == 200, token.text
    access = token.json()["access_token"]
    tracks = await h.client.get("/public/tracks", params={"oauth_token": access})
    assert tracks.status_code == 200
    bad = await h.client.post(
        "/public/oauth2/token",
        data={"grant_type": "password", "client_id": app.client_id, "client_secret": secret},
    )
    assert bad.status_code == 400 and bad.json()["error"] == "unsupported_grant_type"
