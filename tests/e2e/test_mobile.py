"""The Mobile API (/mobile) end to end: large documents with embedded entities, and commands."""

from __future__ import annotations

import asyncio
import functools
import re
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import msgspec
import pytest

from app.edge.kit import bounds
from app.foundation.db import count_statements
from app.value_added.identity import AppInfo
from tests.e2e.conftest import Harness
from tests.factories import make_playlist, make_track, secret_of

T = TypeVar("T")


async def on_app_loop(h: Harness, fn: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
    """Arrange data on the loop the app serves requests on (asyncpg connections are bound to the
    loop that opened them): the test's own loop, unless the client serves from a portal."""
    portal = getattr(h.client, "blocking_portal", None)
    if portal is None:
        return await fn(*args, **kwargs)
    call = functools.partial(fn, *args, **kwargs)
    return await asyncio.to_thread(portal.call, call)


class World(msgspec.Struct):
    h: Harness
    app: AppInfo
    read_only: AppInfo
    alice: int
    bob: int
    alice_token: str
    bob_token: str

    @property
    def db(self) -> Any:
        return self.h.services.deps.db

    def auth(self, token: str) -> dict[str, str]:
        return {"Authorization": f"OAuth {token}"}

    @property
    def as_alice(self) -> dict[str, str]:
        return self.auth(self.alice_token)

    @property
    def as_bob(self) -> dict[str, str]:
        return self.auth(self.bob_token)

    @property
    def anon(self) -> dict[str, str]:
        return {"client_id": self.app.client_id}

    async def track(self, owner: int, **kw: Any) -> int:
        return await on_app_loop(self.h, make_track, self.db, owner, **kw)

    async def playlist(self, owner: int, tracks: list[int], **kw: Any) -> int:
        return await on_app_loop(self.h, make_playlist, self.db, owner, tracks, **kw)

    async def secret(self, track_id: int) -> str:
        return await on_app_loop(self.h, secret_of, self.db, track_id)

    async def user(self, name: str) -> int:
        return await on_app_loop(self.h, self.h.new_user, name, country="DE")

    async def get(self, path: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
        return await self.h.client.get(f"/mobile{path}", headers=headers or {}, params=params)


async def world(h: Harness) -> World:
    app, _ = await on_app_loop(h, h.new_app, "Mobile app", bffs=("mobile",))
    read_only, _ = await on_app_loop(
        h, h.new_app, "Read-only app", bffs=("mobile",), entitlements=("read",)
    )
    alice = await on_app_loop(h, h.new_user, "alice", country="DE")
    bob = await on_app_loop(h, h.new_user, "bob", country="DE")
    return World(
        h=h,
        app=app,
        read_only=read_only,
        alice=alice,
        bob=bob,
        alice_token=await on_app_loop(h, h.user_token, app, alice),
        bob_token=await on_app_loop(h, h.user_token, app, bob),
    )


# ----------------------------------------------------------------------------- reads (both DBs)


async def test_track_embeds_owner_stats_policy_and_viewer_state(harness: Harness) -> None:
    w = await world(harness)
    track_id = await w.track(w.alice, title="Night Drive")
    await w.h.client.post(f"/mobile/tracks/{track_id}/like", headers=w.as_bob)

    r = await w.get(f"/tracks/{track_id}", w.as_bob)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["kind"] == "track" and body["id"] == track_id and body["title"] == "Night Drive"
    assert body["user"]["id"] == w.alice and body["user"]["username"] == "alice"
    assert body["user"]["counts"]["tracks"] == 1
    assert body["user"]["relation"] == {"following": False, "followed_by": False}
    assert body["stats"]["likes"] == 1
    assert body["policy"]["access"] == "playable" and "secret_token" not in body["policy"]
    assert body["viewer"] == {"liked": True, "reposted": False}
    assert body["media"]["status"] == "processing" and body["media"]["state"] == "none"
    assert body["artwork_url"] is None
    assert body["created_at"].endswith(("Z", "+00:00"))

    anonymous = await w.get(f"/tracks/{track_id}", **w.anon)
    assert anonymous.status_code == 200
    assert "viewer" not in anonymous.json() and "relation" not in anonymous.json()["user"]
    assert anonymous.headers["cache-control"].startswith("public")


async def test_private_track_needs_its_secret_token(harness: Harness) -> None:
    w = await world(harness)
    track_id = await w.track(w.alice, sharing="private")
    token = await w.secret(track_id)

    hidden = await w.get(f"/tracks/{track_id}", w.as_bob)
    missing = await w.get("/tracks/999999", w.as_bob)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert hidden.json()["error"]["code"] == "not_found"

    shared = await w.get(f"/tracks/{track_id}", w.as_bob, secret_token=token)
    assert shared.status_code == 200 and shared.json()["id"] == track_id
    assert "secret_token" not in shared.json()["policy"]

    own = await w.get(f"/tracks/{track_id}", w.as_alice)
    assert own.status_code == 200 and own.json()["policy"]["secret_token"] == token

    mine = await w.get("/me/tracks", w.as_alice)
    assert mine.status_code == 200
    assert [(t["id"], t["secret_token"]) for t in mine.json()["collection"]] == [(track_id, token)]


async def test_playlist_embeds_tracks_and_owners_in_one_batch(harness: Harness) -> None:
    w = await world(harness)
    carol = await w.user("carol")
    tracks = [await w.track(owner) for owner in (w.alice, w.bob, carol, w.alice)]
    hidden = await w.track(carol, sharing="private")
    playlist_id = await w.playlist(w.bob, [*tracks[:2], hidden, *tracks[2:]])

    r = await w.get(f"/playlists/{playlist_id}", w.as_alice)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["user"]["id"] == w.bob
    assert [t["id"] for t in body["tracks"]] == tracks
    assert [t["user"]["id"] for t in body["tracks"]] == [w.alice, w.bob, carol, w.alice]
    assert body["stats"]["tracks"] == 4 and body["viewer"] == {"liked": False, "reposted": False}

    small = await w.playlist(w.bob, tracks[:1])
    cache = harness.services.deps.db.cache
    cache.clear()  # cold: measure the statements, not the record cache
    with count_statements() as few:
        assert (await w.get(f"/playlists/{small}", w.as_alice)).status_code == 200
    cache.clear()
    with count_statements() as many:
        assert (await w.get(f"/playlists/{playlist_id}", w.as_alice)).status_code == 200
    assert few[0] > 0
    # (fewer, even: a track read brings its owner along, and here the playlist's owner owns
    # one of its tracks, so no statement of its own reads them — foundation.catalog.companions)
    assert many[0] <= few[0], "queries must not grow with the number of tracks or owners"


async def test_collections_page_with_absolute_next_href(harness: Harness) -> None:
    w = await world(harness)
    made = [await w.track(w.alice) for _ in range(5)]
    seen: list[int] = []
    url: str | None = f"/mobile/users/{w.alice}/tracks?limit=2&client_id={w.app.client_id}"
    pages = 0
    while url:
        r = await w.h.client.get(url)
        assert r.status_code == 200, r.text
        body = r.json()
        seen.extend(t["id"] for t in body["collection"])
        assert all(t["user"]["id"] == w.alice for t in body["collection"])
        url = body["next_href"]
        if url:
            assert url.startswith("http://testserver.local/mobile/users/")
            assert "limit=2" in url and "client_id=" in url
        pages += 1
    assert sorted(seen) == sorted(made) and pages == 3


async def test_like_is_idempotent_and_commands_need_a_user(harness: Harness) -> None:
    w = await world(harness)
    track_id = await w.track(w.alice)
    for _ in range(2):
        r = await w.h.client.post(f"/mobile/tracks/{track_id}/like", headers=w.as_bob)
        assert r.status_code == 200 and r.json() == {"liked": True, "likes_count": 1}
    for _ in range(2):
        r = await w.h.client.delete(f"/mobile/tracks/{track_id}/like", headers=w.as_bob)
        assert r.status_code == 200 and r.json() == {"liked": False, "likes_count": 0}

    app_only = await on_app_loop(w.h, w.h.app_token, w.app)
    r = await w.h.client.post(f"/mobile/tracks/{track_id}/like", headers=w.auth(app_only))
    assert r.status_code == 401 and r.json()["error"]["code"] == "user_required"

    ro_token = await on_app_loop(w.h, w.h.user_token, w.read_only, w.bob)
    r = await w.h.client.post(f"/mobile/tracks/{track_id}/like", headers=w.auth(ro_token))
    assert r.status_code == 403 and r.json()["error"]["code"] == "not_entitled"


# ----------------------------------------------------------------------------- reads (SQLite)


async def test_user_profile_embeds_tracks_playlists_and_relation(sqlite_harness: Harness) -> None:
    w = await world(sqlite_harness)
    tracks = [await w.track(w.alice) for _ in range(3)]
    playlist_id = await w.playlist(w.alice, tracks)
    await w.h.client.post(f"/mobile/users/{w.bob}/follow", headers=w.as_alice)

    r = await w.get(f"/users/{w.alice}", w.as_bob)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["kind"] == "user" and body["counts"]["tracks"] == 3
    assert body["relation"] == {"following": False, "followed_by": True}
    assert sorted(t["id"] for t in body["top_tracks"]) == sorted(tracks)
    assert all(t["user"]["id"] == w.alice for t in body["top_tracks"])
    assert [p["id"] for p in body["playlists"]] == [playlist_id]
    assert body["playlists"][0]["track_ids"] == tracks

    fields = await w.get(f"/users/{w.alice}", w.as_bob, fields="username,counts.followers")
    assert set(fields.json()) == {"id", "kind", "username", "counts"}

    bad = await w.get(f"/users/{w.alice}", w.as_bob, fields="nope")
    assert bad.status_code == 400
    assert bad.json()["error"] == {
        "code": "unknown_field",
        "message": "unknown field 'nope' for user",
        "field": "nope",
    }
    assert (await w.get("/users/999999", w.as_bob)).status_code == 404


async def test_user_lists(sqlite_harness: Harness) -> None:
    w = await world(sqlite_harness)
    track_id = await w.track(w.alice)
    playlist_id = await w.playlist(w.alice, [track_id])
    await w.h.client.post(f"/mobile/users/{w.alice}/follow", headers=w.as_bob)
    await w.h.client.post(f"/mobile/tracks/{track_id}/like", headers=w.as_bob)

    followers = await w.get(f"/users/{w.alice}/followers", **w.anon)
    assert [u["id"] for u in followers.json()["collection"]] == [w.bob]
    assert followers.json()["next_href"] is None
    followings = await w.get(f"/users/{w.bob}/followings", **w.anon)
    assert [u["id"] for u in followings.json()["collection"]] == [w.alice]
    likes = await w.get(f"/users/{w.bob}/likes", **w.anon)
    assert [(t["id"], t["user"]["id"]) for t in likes.json()["collection"]] == [(track_id, w.alice)]
    playlists = await w.get(f"/users/{w.alice}/playlists", **w.anon)
    collection = playlists.json()["collection"]
    assert [p["id"] for p in collection] == [playlist_id]
    assert collection[0]["tracks"][0]["user"]["id"] == w.alice


async def test_me_home_likes_and_history(sqlite_harness: Harness) -> None:
    w = await world(sqlite_harness)
    track_id = await w.track(w.alice)
    await w.h.client.post(f"/mobile/users/{w.alice}/follow", headers=w.as_bob)

    me = await w.get("/me", w.as_bob)
    assert me.status_code == 200 and me.json()["id"] == w.bob
    assert me.json()["counts"]["followings"] == 1
    assert (await w.get("/me", **w.anon)).status_code == 401

    home = await w.get("/home", w.as_bob)
    assert [(t["id"], t["user"]["username"]) for t in home.json()["collection"]] == [
        (track_id, "alice")
    ]
    assert home.headers["cache-control"].startswith("private")

    await w.h.client.post(f"/mobile/tracks/{track_id}/like", headers=w.as_bob)
    likes = await w.get("/me/likes", w.as_bob)
    assert [t["viewer"]["liked"] for t in likes.json()["collection"]] == [True]

    played = await w.h.client.post(f"/mobile/tracks/{track_id}/plays", headers=w.as_bob)
    assert played.status_code == 200 and played.json() == {"plays_count": 1}
    history = await w.get("/me/history", w.as_bob)
    assert [t["id"] for t in history.json()["collection"]] == [track_id]


async def test_search(sqlite_harness: Harness) -> None:
    w = await world(sqlite_harness)
    track_id = await w.track(w.alice, title="Sunrise Anthem")
    for _ in range(2):
        await w.track(w.alice, title="Sunrise Dub")
    playlist_id = await w.playlist(w.alice, [track_id])

    tracks = await w.get("/search", q="sunrise", kind="tracks", limit=2, **w.anon)
    assert tracks.status_code == 200, tracks.text
    assert len(tracks.json()["collection"]) == 2 and tracks.json()["next_href"]
    assert tracks.json()["collection"][0]["user"]["id"] == w.alice
    rest = await w.h.client.get(tracks.json()["next_href"])
    assert len(rest.json()["collection"]) == 1

    users = await w.get("/search", q="alice", kind="users", **w.anon)
    assert [u["id"] for u in users.json()["collection"]] == [w.alice]

    everything = await w.get("/search", q="", limit=1, **w.anon)
    body = everything.json()
    assert set(body) == {"tracks", "users", "playlists"}
    assert [p["id"] for p in body["playlists"]["collection"]] == [playlist_id]
    assert "kind=tracks" in body["tracks"]["next_href"]
    more = await w.h.client.get(body["tracks"]["next_href"])
    assert more.status_code == 200 and len(more.json()["collection"]) == 1

    bad = await w.get("/search", kind="sounds", **w.anon)
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "kind"


# ----------------------------------------------------------------------------- commands (SQLite)


async def test_comments(sqlite_harness: Harness) -> None:
    w = await world(sqlite_harness)
    track_id = await w.track(w.alice)
    posted = await w.h.client.post(
        f"/mobile/tracks/{track_id}/comments",
        json={"body": "great drop", "timestamp_ms": 1000},
        headers=w.as_bob,
    )
    assert posted.status_code == 201, posted.text
    comment = posted.json()
    assert comment["user"]["id"] == w.bob and comment["timestamp_ms"] == 1000

    listed = await w.get(f"/tracks/{track_id}/comments", **w.anon)
    assert [(c["id"], c["user"]["username"]) for c in listed.json()["collection"]] == [
        (comment["id"], "bob")
    ]
    empty = await w.h.client.post(
        f"/mobile/tracks/{track_id}/comments", json={"body": " "}, headers=w.as_bob
    )
    assert empty.status_code == 400 and empty.json()["error"]["field"] == "body"

    assert (await w.h.client.delete(f"/mobile/comments/{comment['id']}")).status_code == 401
    deleted = await w.h.client.delete(f"/mobile/comments/{comment['id']}", headers=w.as_bob)
    assert deleted.status_code == 204
    again = await w.h.client.delete(f"/mobile/comments/{comment['id']}", headers=w.as_bob)
    assert again.status_code == 404


async def test_repost_download_and_follow(sqlite_harness: Harness) -> None:
    w = await world(sqlite_harness)
    track_id = await w.track(w.alice, downloadable=True)
    locked = await w.track(w.alice, downloadable=False)
    for _ in range(2):
        r = await w.h.client.post(f"/mobile/tracks/{track_id}/repost", headers=w.as_bob)
        assert r.json() == {"reposted": True, "reposts_count": 1}
    r = await w.h.client.delete(f"/mobile/tracks/{track_id}/repost", headers=w.as_bob)
    assert r.json() == {"reposted": False, "reposts_count": 0}

    grant = await w.h.client.post(f"/mobile/tracks/{track_id}/download", headers=w.as_bob)
    assert grant.status_code == 200 and grant.json()["track_id"] == track_id
    assert grant.json()["token"] and grant.json()["expires_at"]
    denied = await w.h.client.post(f"/mobile/tracks/{locked}/download", headers=w.as_bob)
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "not_downloadable"

    for _ in range(2):
        r = await w.h.client.post(f"/mobile/users/{w.alice}/follow", headers=w.as_bob)
        assert r.json() == {"following": True, "followers_count": 1}
    r = await w.h.client.delete(f"/mobile/users/{w.alice}/follow", headers=w.as_bob)
    assert r.json() == {"following": False, "followers_count": 0}
    self_follow = await w.h.client.post(f"/mobile/users/{w.bob}/follow", headers=w.as_bob)
    assert self_follow.status_code == 403
    assert self_follow.json()["error"]["code"] == "self_follow"
    self_unfollow = await w.h.client.delete(f"/mobile/users/{w.bob}/follow", headers=w.as_bob)
    assert self_unfollow.json() == {"following": False, "followers_count": 0}


async def test_playlist_commands(sqlite_harness: Harness) -> None:
    w = await world(sqlite_harness)
    t1, t2, t3 = [await w.track(w.alice) for _ in range(3)]
    post = w.h.client.post
    created = await post(
        "/mobile/playlists", json={"title": "Road trip", "track_ids": [t1]}, headers=w.as_bob
    )
    assert created.status_code == 201, created.text
    pid = created.json()["id"]
    assert created.json()["tracks"][0]["user"]["id"] == w.alice
    assert created.json()["policy"]["secret_token"]

    patched = await w.h.client.patch(
        f"/mobile/playlists/{pid}", json={"description": "summer"}, headers=w.as_bob
    )
    assert patched.status_code == 200 and patched.json()["description"] == "summer"
    assert patched.json()["title"] == "Road trip"
    unknown = await w.h.client.patch(
        f"/mobile/playlists/{pid}", json={"colour": "red"}, headers=w.as_bob
    )
    assert unknown.status_code == 400

    added = await post(
        f"/mobile/playlists/{pid}/tracks", json={"track_ids": [t2, t3]}, headers=w.as_bob
    )
    assert [t["id"] for t in added.json()["tracks"]] == [t1, t2, t3]
    ordered = await w.h.client.put(
        f"/mobile/playlists/{pid}/order", json={"track_ids": [t3, t1]}, headers=w.as_bob
    )
    assert ordered.status_code == 200 and ordered.json()["track_ids"] == [t3, t1, t2]
    removed = await w.h.client.delete(f"/mobile/playlists/{pid}/tracks/{t1}", headers=w.as_bob)
    assert removed.json()["track_ids"] == [t3, t2]

    not_mine = await post(
        f"/mobile/playlists/{pid}/tracks", json={"track_ids": [t1]}, headers=w.as_alice
    )
    assert not_mine.status_code == 403
    # a track named in the body that does not exist: the playlist is there, the body is wrong
    for path in (f"/mobile/playlists/{pid}/tracks", "/mobile/playlists"):
        body = {"track_ids": [t1, 9_999_999_999]} | (
            {"title": "x"} if path == "/mobile/playlists" else {}
        )
        unknown_track = await w.h.client.post(path, json=body, headers=w.as_bob)
        assert unknown_track.status_code == 422, unknown_track.text
        assert unknown_track.json()["error"]["code"] == "unknown_track"
        assert unknown_track.json()["error"]["field"] == "tracks"

    for _ in range(2):
        liked = await post(f"/mobile/playlists/{pid}/like", headers=w.as_alice)
        assert liked.json() == {"liked": True, "likes_count": 1}
    unliked = await w.h.client.delete(f"/mobile/playlists/{pid}/like", headers=w.as_alice)
    assert unliked.json() == {"liked": False, "likes_count": 0}
    reposted = await post(f"/mobile/playlists/{pid}/repost", headers=w.as_alice)
    assert reposted.json() == {"reposted": True, "reposts_count": 1}
    unreposted = await w.h.client.delete(f"/mobile/playlists/{pid}/repost", headers=w.as_alice)
    assert unreposted.json() == {"reposted": False, "reposts_count": 0}

    assert (
        await w.h.client.delete(f"/mobile/playlists/{pid}", headers=w.as_bob)
    ).status_code == 204
    assert (await w.get(f"/playlists/{pid}", w.as_bob)).status_code == 404
    anonymous = await post("/mobile/playlists", json={"title": "x"}, params=w.anon)
    assert anonymous.status_code == 401


async def test_creator_track_commands(sqlite_harness: Harness) -> None:
    w = await world(sqlite_harness)
    created = await w.h.client.post(
        "/mobile/tracks",
        json={"title": "Demo", "sharing": "private", "duration_ms": 1000},
        headers=w.as_alice,
    )
    assert created.status_code == 201, created.text
    track = created.json()
    assert track["user_id"] == w.alice and track["secret_token"] and track["sharing"] == "private"
    assert (await w.get(f"/tracks/{track['id']}", w.as_bob)).status_code == 404

    patched = await w.h.client.patch(
        f"/mobile/tracks/{track['id']}", json={"sharing": "public"}, headers=w.as_alice
    )
    assert patched.status_code == 200 and patched.json()["sharing"] == "public"
    assert (await w.get(f"/tracks/{track['id']}", w.as_bob)).status_code == 200
    stolen = await w.h.client.patch(
        f"/mobile/tracks/{track['id']}", json={"title": "Mine"}, headers=w.as_bob
    )
    assert stolen.status_code == 403

    deleted = await w.h.client.delete(f"/mobile/tracks/{track['id']}", headers=w.as_alice)
    assert deleted.status_code == 204
    assert (await w.get(f"/tracks/{track['id']}", w.as_alice)).status_code == 404
    anonymous = await w.h.client.post("/mobile/tracks", json={"title": "x"}, params=w.anon)
    assert anonymous.status_code == 401


# ----------------------------------------------------------------------------- quirk, docs


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [("SoundstackMobile/4.9.2 (iOS 17)", ""), ("SoundstackMobile/5.0", None), ("curl/8", None)],
)
async def test_old_apps_get_empty_strings_for_missing_artwork(
    sqlite_harness: Harness, user_agent: str, expected: str | None
) -> None:
    w = await world(sqlite_harness)
    track_id = await w.track(w.alice)
    r = await w.get(f"/tracks/{track_id}", {**w.as_bob, "User-Agent": user_agent})
    assert r.status_code == 200
    assert r.json()["artwork_url"] == expected
    assert r.json()["user"]["avatar_url"] == expected


async def test_openapi_documents_the_representations(sqlite_harness: Harness) -> None:
    r = await sqlite_harness.client.get("/mobile/schema/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    assert "/tracks/{track_id}" in doc["paths"] and "/search" in doc["paths"]
    schemas = doc["components"]["schemas"]
    assert {"TrackRep", "PlaylistRep", "UserCard", "TrackCollection"} <= set(schemas)


async def test_a_track_blocked_in_the_viewers_territory_is_shown_without_streams(
    sqlite_harness: Harness,
) -> None:
    w = await world(sqlite_harness)
    track_id = await w.track(w.bob, territories=["JP"])
    r = await w.get(f"/tracks/{track_id}", w.as_alice)
    assert r.status_code == 200, r.text
    assert r.json()["policy"]["access"] == "blocked"
    assert not r.json().get("streams")


async def test_territories_are_iso_codes_in_any_case_and_documented_as_one_pattern(
    sqlite_harness: Harness,
) -> None:
    w = await world(sqlite_harness)
    body = {"title": "Abroad", "territories": ["de", "Fr", "JP"]}
    created = await w.h.client.post("/mobile/tracks", json=body, headers=w.as_alice)
    assert created.status_code == 201, created.text
    assert created.json()["territories"] == ["DE", "FR", "JP"]
    refused = await w.h.client.post(
        "/mobile/tracks", json={**body, "territories": ["de", "XX"]}, headers=w.as_alice
    )
    assert refused.status_code == 400, refused.text
    assert refused.json()["error"]["field"] == "territories[1]"
    doc = (await w.h.client.get("/mobile/schema/openapi.json")).json()
    field = doc["components"]["schemas"]["NewTrack"]["properties"]["territories"]
    (codes,) = [one["items"] for one in field["anyOf"] if one.get("type") == "array"]
    assert "enum" not in codes  # one pattern, not ~500 values to enumerate
    assert re.search(codes["pattern"], "fR") and not re.search(codes["pattern"], "XX")


async def test_search_documents_its_bound(sqlite_harness: Harness) -> None:
    doc = (await sqlite_harness.client.get("/mobile/schema/openapi.json")).json()
    (q,) = [p for p in doc["paths"]["/search"]["get"]["parameters"] if p["name"] == "q"]
    assert q["schema"]["maxLength"] == bounds.MAX_SEARCH_CHARS
