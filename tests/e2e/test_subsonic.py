"""The Subsonic BFF over HTTP (in process, SQLite and PostgreSQL): authentication and its
throttling, the protocol (formats, .view, form POST, error codes), the credential routes of the
Mobile and Web APIs, and the leak test: hidden tracks and playlists are invisible through every
endpoint, answered exactly like missing ones."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import urllib.parse
from collections.abc import AsyncIterator
from typing import Any

import httpx
import msgspec
import pytest

from app.edge.subsonic.routes.system import NOT_IMPLEMENTED
from app.value_added.playlists import PlaylistDraft
from tests.e2e.conftest import BASE_URL, Harness, in_process, serving, settings_for
from tests.factories import make_playlist, make_track


class World(msgspec.Struct):
    """Who and what the tests share."""

    listener: str
    password: str
    api_key: str
    artist: int
    album: int
    public: list[int]
    hidden: dict[str, int]
    private_playlist: int
    own_playlist: int


@pytest.fixture
async def world_harness(database_url: str, tmp_path: Any) -> AsyncIterator[tuple[Harness, World]]:
    async with serving(in_process(settings_for(database_url, tmp_path))) as h:
        yield h, await _world(h)


async def _world(h: Harness) -> World:
    db = h.services.deps.db
    artist = await h.new_user("nova")
    other = await h.new_user("orbit")
    listener = await h.new_user("lena")
    public = [
        await make_track(db, artist, title="Tide one", genre="Ambient"),
        await make_track(db, artist, title="Tide two", genre="Ambient"),
    ]
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=365)
    hidden = {
        "private": await make_track(db, artist, title="Tide private", sharing="private"),
        "unreleased": await make_track(db, artist, title="Tide later", release_at=later),
        "taken_down": await make_track(db, artist, title="Tide gone", taken_down=True),
        "others_private": await make_track(db, other, title="Orbit secret", sharing="private"),
    }
    album = await make_playlist(db, artist, [*public, hidden["private"], hidden["unreleased"]])
    await make_track(db, artist, title="Ember", genre="Ambient")  # a single
    async with db.write() as uow:
        await uow.playlists.update(album, {"set_type": "album", "genre": "Ambient"})
    private_playlist = await make_playlist(db, other, [public[0]], sharing="private")
    own = await h.services.playlists.create(
        h.viewer(listener), PlaylistDraft(title="Mine", track_ids=(public[1],))
    )
    identity = h.services.identity
    password = (await identity.create_player_password(listener)).password
    key = (await identity.create_api_key(listener, "tests")).api_key
    return World("lena", password, key, artist, album, public, hidden, private_playlist, own.id)


def token_auth(w: World, salt: str = "s4lt!x") -> dict[str, str]:
    token = hashlib.md5((w.password + salt).encode()).hexdigest()
    return {"u": w.listener, "t": token, "s": salt, "v": "1.16.1", "c": "tests", "f": "json"}


async def call(
    client: httpx.AsyncClient, endpoint: str, auth: dict[str, str], **params: Any
) -> dict[str, Any]:
    response = await client.get(f"/rest/{endpoint}", params={**auth, **params})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()["subsonic-response"]
    return body


def error_of(body: dict[str, Any]) -> tuple[int, str]:
    assert body["status"] == "failed", body
    return body["error"]["code"], body["error"]["message"]


# ------------------------------------------------------------------------------ authentication


async def test_every_credential_form_and_its_errors(
    world_harness: tuple[Harness, World],
) -> None:
    h, w = world_harness
    c = h.client
    assert (await call(c, "ping", token_auth(w)))["status"] == "ok"
    assert (await call(c, "ping", {"apiKey": w.api_key, "f": "json"}))["status"] == "ok"
    plain = {"u": w.listener, "p": w.password, "f": "json"}
    assert (await call(c, "ping", plain))["status"] == "ok"
    hexed = {"u": w.listener, "p": "enc:" + w.password.encode().hex(), "f": "json"}
    assert (await call(c, "ping", hexed))["status"] == "ok"

    both = {"apiKey": w.api_key, "u": w.listener, "f": "json"}
    assert error_of(await call(c, "ping", both))[0] == 43
    assert error_of(await call(c, "ping", {"apiKey": "ssk_nope", "f": "json"}))[0] == 44
    assert error_of(await call(c, "ping", {"f": "json"}))[0] == 10
    assert error_of(await call(c, "ping", {"u": w.listener, "t": "ab", "f": "json"}))[0] == 10
    account = {"u": w.listener, "p": "correct horse battery", "f": "json"}
    assert error_of(await call(c, "ping", account)) == (40, "wrong username or password")
    unknown = {"u": "nobody-here", "p": w.password, "f": "json"}
    assert error_of(await call(c, "ping", unknown)) == (40, "wrong username or password")
    # the extensions are public; everything else needs credentials
    assert (await call(c, "getOpenSubsonicExtensions", {"f": "json"}))["status"] == "ok"
    # the protocol's major version: 0.x must upgrade the client, 2.x the server; 1.x passes
    older, newer = token_auth(w) | {"v": "0.9.0"}, token_auth(w) | {"v": "2.0"}
    assert error_of(await call(c, "ping", older))[0] == 20
    assert error_of(await call(c, "ping", newer))[0] == 30
    assert (await call(c, "ping", token_auth(w) | {"v": "1.8.0"}))["status"] == "ok"


async def test_failed_sign_ins_are_throttled_per_user_and_address(
    world_harness: tuple[Harness, World],
) -> None:
    h, w = world_harness
    h.freeze_rate_limit_clock()
    wrong = {"u": w.listener, "p": "guess", "f": "json"}
    for _ in range(10):
        assert error_of(await call(h.client, "ping", wrong))[0] == 40
    code, message = error_of(await call(h.client, "ping", token_auth(w)))
    assert code == 40 and "too many failed sign-ins" in message  # even the right password
    transport = httpx.ASGITransport(app=h.app, client=("192.0.2.7", 50000))
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as elsewhere:
        # the real user at another address is not locked out by a guesser
        assert (await call(elsewhere, "ping", token_auth(w)))["status"] == "ok"
    # API keys are not tied to the username: a key from this address still works
    assert (await call(h.client, "ping", {"apiKey": w.api_key, "f": "json"}))["status"] == "ok"


async def test_revoked_and_replaced_credentials_stop_working(
    world_harness: tuple[Harness, World],
) -> None:
    h, w = world_harness
    identity = h.services.identity
    user_id = await identity.user_id_of(w.listener)
    [key] = await identity.api_keys(user_id)
    await identity.revoke_api_key(user_id, key.id)
    assert error_of(await call(h.client, "ping", {"apiKey": w.api_key, "f": "json"}))[0] == 44
    fresh = await identity.create_player_password(user_id)
    assert error_of(await call(h.client, "ping", token_auth(w)))[0] == 40
    renewed = msgspec.structs.replace(w, password=fresh.password)
    assert (await call(h.client, "ping", token_auth(renewed)))["status"] == "ok"
    await identity.revoke_player_password(user_id)
    assert error_of(await call(h.client, "ping", token_auth(renewed)))[0] == 40


async def test_users_manage_player_credentials_through_mobile_and_web(
    world_harness: tuple[Harness, World],
) -> None:
    h, w = world_harness
    app, _ = await h.new_app("credentials-app")
    user_id = await h.services.identity.user_id_of(w.listener)
    auth = {"Authorization": f"Bearer {await h.user_token(app, user_id)}"}
    for bff in ("mobile", "web"):
        refused = await h.client.post(
            f"/{bff}/me/api-keys", json={"name": "tv", "password": "nope"}, headers=auth
        )
        assert refused.status_code == 403
        made = await h.client.post(
            f"/{bff}/me/api-keys",
            json={"name": "tv", "password": "correct horse battery"},
            headers=auth,
        )
        assert made.status_code == 201
        created = made.json()
        listed = (await h.client.get(f"/{bff}/me/api-keys", headers=auth)).json()
        assert created["id"] in [k["id"] for k in listed]
        assert all("api_key" not in k for k in listed)
        ping = await call(h.client, "ping", {"apiKey": created["api_key"], "f": "json"})
        assert ping["status"] == "ok"
        gone = await h.client.delete(f"/{bff}/me/api-keys/{created['id']}", headers=auth)
        assert gone.status_code == 204
        again = await call(h.client, "ping", {"apiKey": created["api_key"], "f": "json"})
        assert error_of(again)[0] == 44
    made = await h.client.post(
        "/mobile/me/player-password", json={"password": "correct horse battery"}, headers=auth
    )
    assert made.status_code == 201
    state = (await h.client.get("/web/me/player-password", headers=auth)).json()
    assert state["exists"] is True
    renewed = msgspec.structs.replace(w, password=made.json()["password"])
    assert (await call(h.client, "ping", token_auth(renewed)))["status"] == "ok"
    assert (await h.client.delete("/web/me/player-password", headers=auth)).status_code == 204
    assert error_of(await call(h.client, "ping", token_auth(renewed)))[0] == 40


# ------------------------------------------------------------------------------------ protocol


async def test_formats_view_suffix_form_post_and_error_codes(
    world_harness: tuple[Harness, World],
) -> None:
    h, w = world_harness
    auth = token_auth(w)
    xml = await h.client.get("/rest/ping.view", params={**auth, "f": "xml"})
    assert xml.headers["content-type"].startswith("text/xml")
    assert b'status="ok"' in xml.content and b'type="soundstack"' in xml.content
    posted = await h.client.post("/rest/getSong.view", data={**auth, "id": f"tr-{w.public[0]}"})
    assert posted.json()["subsonic-response"]["song"]["title"] == "Tide one"
    jsonp = await h.client.get("/rest/ping", params={**auth, "f": "jsonp", "callback": "go"})
    assert jsonp.text.startswith("go(") and jsonp.text.endswith(");")
    bad = await h.client.get("/rest/ping", params={**auth, "f": "jsonp", "callback": "<x>"})
    assert b'code="10"' in bad.content  # never echoes an unchecked callback
    assert error_of(await call(h.client, "getSong", auth))[0] == 10
    code, message = error_of(await call(h.client, "getAlbumList2", auth, type="newest", size=501))
    assert code == 0 and "'size'" in message
    assert error_of(await call(h.client, "getAlbumList2", auth, type="sideways"))[0] == 0
    assert error_of(await call(h.client, "getAlbumList2", auth, type="highest"))[0] == 0
    code, message = error_of(await call(h.client, "getPodcasts", auth))
    assert code == 0 and "not implemented" in message
    assert "getPodcasts" in NOT_IMPLEMENTED
    code, message = error_of(await call(h.client, "makeCoffee", auth))
    assert code == 0 and "unknown endpoint" in message
    other = await call(h.client, "getUser", auth, username="nova")
    assert error_of(other)[0] == 50


async def test_playlists_stars_and_plays_change_the_catalogue(
    world_harness: tuple[Harness, World],
) -> None:
    h, w = world_harness
    auth = token_auth(w)
    form = [*auth.items(), ("name", "Evening"), *(("songId", f"tr-{t}") for t in w.public)]
    made = await h.client.post(
        "/rest/createPlaylist",
        content=urllib.parse.urlencode(form),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    playlist = made.json()["subsonic-response"]["playlist"]
    assert [e["id"] for e in playlist["entry"]] == [f"tr-{t}" for t in w.public]
    assert playlist["public"] is False and playlist["songCount"] == 2
    replaced = await call(
        h.client, "createPlaylist", auth, playlistId=playlist["id"], songId=f"tr-{w.public[1]}"
    )
    assert [e["id"] for e in replaced["playlist"]["entry"]] == [f"tr-{w.public[1]}"]
    others = await call(h.client, "deletePlaylist", auth, id=f"pl-{w.private_playlist}")
    assert error_of(others)[0] == 70
    assert (await call(h.client, "deletePlaylist", auth, id=playlist["id"]))["status"] == "ok"

    assert (await call(h.client, "star", auth, id=f"tr-{w.public[0]}"))["status"] == "ok"
    assert (await call(h.client, "star", auth, artistId=f"ar-{w.artist}"))["status"] == "ok"
    starred = (await call(h.client, "getStarred2", auth))["starred2"]
    assert [s["id"] for s in starred["song"]] == [f"tr-{w.public[0]}"]
    assert [a["id"] for a in starred["artist"]] == [f"ar-{w.artist}"]
    singles = await call(h.client, "star", auth, albumId=f"al-s-{w.artist}")
    assert error_of(singles)[0] == 0
    assert (await call(h.client, "scrobble", auth, id=f"tr-{w.public[0]}"))["status"] == "ok"
    song = (await call(h.client, "getSong", auth, id=f"tr-{w.public[0]}"))["song"]
    assert song["playCount"] == 1 and song["starred"]


async def test_album_list_by_year_is_ordered_by_year(world_harness: tuple[Harness, World]) -> None:
    h, w = world_harness
    db = h.services.deps.db
    years = {}
    for name, year in (("aria", 2019), ("bolt", 2023), ("cove", 2021)):
        owner = await h.new_user(name)
        track = await make_track(db, owner, release_date=dt.date(year, 6, 1))
        years[name] = (owner, track)
    album = await make_playlist(db, years["aria"][0], [years["aria"][1]])
    async with db.write() as uow:
        await uow.playlists.update(album, {"set_type": "album"})
    auth = token_auth(w)

    async def by_year(first: int, last: int) -> list[str]:
        found = await call(
            h.client, "getAlbumList2", auth, type="byYear", fromYear=first, toYear=last
        )
        return [a["id"] for a in found["albumList2"].get("album", [])]

    singles = {name: f"al-s-{owner}" for name, (owner, _) in years.items()}
    ascending = [f"al-{album}", singles["cove"], singles["bolt"]]
    assert await by_year(2018, 2024) == ascending
    assert await by_year(2024, 2018) == ascending[::-1]  # fromYear > toYear: newest first
    assert await by_year(2020, 2022) == [singles["cove"]]
    paged = await call(
        h.client, "getAlbumList2", auth, type="byYear", fromYear=2018, toYear=2024, size=1,
        offset=1,
    )  # fmt: skip
    assert [a["id"] for a in paged["albumList2"]["album"]] == [singles["cove"]]


async def test_the_play_queue_is_saved_restored_and_filtered(
    world_harness: tuple[Harness, World],
) -> None:
    h, w = world_harness
    auth = token_auth(w) | {"c": "phone"}
    empty = (await call(h.client, "getPlayQueue", auth))["playQueue"]
    assert empty == {"username": "lena", "changed": "1970-01-01T00:00:00Z", "changedBy": ""}
    songs = [f"tr-{t}" for t in (*w.public, w.public[0])]  # a song may be queued twice
    saved = await h.client.post(
        "/rest/savePlayQueue",
        content=urllib.parse.urlencode(
            [*auth.items(), *(("id", s) for s in songs), ("current", songs[1]),
             ("position", "61500")]
        ),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    assert saved.json()["subsonic-response"]["status"] == "ok"
    queue = (await call(h.client, "getPlayQueue", token_auth(w)))["playQueue"]
    assert [e["id"] for e in queue["entry"]] == songs
    assert (queue["current"], queue["position"], queue["changedBy"]) == (songs[1], 61500, "phone")
    assert queue["username"] == "lena" and queue["entry"][0]["title"] == "Tide one"

    # a song hidden since it was queued is left out, and so is the position in it
    async with h.services.deps.db.write() as uow:
        await uow.policies.update(w.public[1], {"sharing": "private"})
    queue = (await call(h.client, "getPlayQueue", auth))["playQueue"]
    assert [e["id"] for e in queue["entry"]] == [songs[0], songs[2]]
    assert "current" not in queue and "position" not in queue

    wrong = await call(h.client, "savePlayQueue", auth, id=songs[0], current="tr-999999")
    assert error_of(wrong)[0] == 0  # the current song must be in the queue
    hidden = await call(h.client, "savePlayQueue", auth, id=f"tr-{w.hidden['private']}")
    assert error_of(hidden)[0] == 70
    assert (await call(h.client, "savePlayQueue", auth))["status"] == "ok"  # no id: cleared
    assert "entry" not in (await call(h.client, "getPlayQueue", auth))["playQueue"]


# ---------------------------------------------------------------------------------- the leak test

READS: list[tuple[str, dict[str, str]]] = [
    ("getIndexes", {}),
    ("getArtists", {}),
    ("getArtist", {"id": "ar-{artist}"}),
    ("getAlbum", {"id": "al-{album}"}),
    ("getAlbum", {"id": "al-s-{artist}"}),
    ("getMusicDirectory", {"id": "ar-{artist}"}),
    ("getMusicDirectory", {"id": "al-{album}"}),
    ("getMusicDirectory", {"id": "al-s-{artist}"}),
    ("getGenres", {}),
    *(
        ("getAlbumList2", {"type": t, "size": "500"})
        for t in ("random", "newest", "frequent", "recent", "starred", "alphabeticalByName",
                  "alphabeticalByArtist")
    ),
    ("getAlbumList2", {"type": "byGenre", "genre": "Ambient"}),
    ("getAlbumList2", {"type": "byYear", "fromYear": "1900", "toYear": "2999"}),
    ("getAlbumList", {"type": "newest"}),
    ("getRandomSongs", {"size": "500"}),
    ("getSongsByGenre", {"genre": "Ambient", "count": "500"}),
    ("getSongsByGenre", {"genre": "electronic", "count": "500"}),
    ("getStarred", {}),
    ("getStarred2", {}),
    ("search2", {"query": "tide"}),
    ("search3", {"query": "tide"}),
    ("search3", {"query": "orbit"}),
    ("search3", {"query": "", "songCount": "500", "albumCount": "500", "artistCount": "500"}),
    ("getPlaylists", {}),
    ("getPlaylists", {"username": "orbit"}),
    ("getPlaylist", {"id": "pl-{own}"}),
    ("getArtistInfo2", {"id": "ar-{artist}"}),
    ("getAlbumInfo2", {"id": "al-{album}"}),
    ("getTopSongs", {"artist": "nova"}),
    ("getTopSongs", {"artist": "orbit"}),
    ("getSimilarSongs2", {"id": "tr-{public}"}),
    ("getSimilarSongs2", {"id": "ar-{artist}"}),
    ("getSimilarSongs2", {"id": "al-{album}"}),
    ("getPlayQueue", {}),
]  # fmt: skip
BY_ID = [
    ("getSong", "id"),
    ("getMusicDirectory", "id"),
    ("getSimilarSongs2", "id"),
    ("getCoverArt", "id"),
    ("stream", "id"),
    ("download", "id"),
    ("scrobble", "id"),
    ("star", "id"),
    ("unstar", "id"),
    ("reportPlayback", "mediaId"),
    ("createPlaylist", "songId"),
    ("savePlayQueue", "id"),
]


async def test_hidden_tracks_and_playlists_are_invisible_through_every_endpoint(
    world_harness: tuple[Harness, World],
) -> None:
    h, w = world_harness
    auth = token_auth(w)
    # the listener's own activity must not pull hidden things in either
    await call(h.client, "star", auth, id=f"tr-{w.public[0]}", albumId=f"al-{w.album}")
    await call(h.client, "scrobble", auth, id=f"tr-{w.public[1]}")
    names = {"artist": w.artist, "album": w.album, "own": w.own_playlist, "public": w.public[0]}
    hidden = {f"tr-{t}" for t in w.hidden.values()} | {f"pl-{w.private_playlist}"}
    secret_titles = {"Tide private", "Tide later", "Tide gone", "Orbit secret"}
    for endpoint, raw in READS:
        params = {k: v.format(**names) for k, v in raw.items()}
        body = await call(h.client, endpoint, auth, **params)
        assert body["status"] == "ok", (endpoint, params, body)
        text = json.dumps(body)
        found = set(re.findall(r"(?:tr|pl)-\d+", text))
        assert not found & hidden, (endpoint, params, found & hidden)
        assert not any(t in text for t in secret_titles), (endpoint, params)
    album = (await call(h.client, "getAlbum", auth, id=f"al-{w.album}"))["album"]
    assert album["songCount"] == 2 and album["duration"] == 360  # counts only what is visible
    genres = (await call(h.client, "getGenres", auth))["genres"]["genre"]
    assert {g["value"]: g["songCount"] for g in genres}["Ambient"] == 3

    extra = {"mediaType": "song", "positionMs": "0", "state": "starting", "name": "x"}
    for endpoint, param in BY_ID:
        missing = await call(h.client, endpoint, auth, **{param: "tr-999999"}, **extra)
        for track_id in w.hidden.values():
            answer = await call(h.client, endpoint, auth, **{param: f"tr-{track_id}"}, **extra)
            assert error_of(answer) == error_of(missing) == (70, error_of(missing)[1]), (
                endpoint,
                track_id,
            )
    for endpoint in ("getPlaylist", "deletePlaylist", "getCoverArt"):
        missing = await call(h.client, endpoint, auth, id="pl-999999")
        private = await call(h.client, endpoint, auth, id=f"pl-{w.private_playlist}")
        assert error_of(private) == error_of(missing) and error_of(missing)[0] == 70
    update = await call(
        h.client, "updatePlaylist", auth, playlistId=f"pl-{w.own_playlist}",
        songIdToAdd=f"tr-{w.hidden['private']}",
    )  # fmt: skip
    assert error_of(update)[0] == 70


# ------------------------------------------------------------------------------ the document


async def test_the_document_names_every_endpoint_its_credentials_and_the_failed_envelope(
    world_harness: tuple[Harness, World],
) -> None:
    h, w = world_harness
    doc = (await h.client.get("/rest/schema/openapi.json")).json()
    schemes = doc["components"]["securitySchemes"]
    assert {schemes[n]["name"] for n in schemes if n.startswith("subsonic")} == {
        "u", "t", "s", "p", "apiKey"
    }  # fmt: skip
    endpoints = {path[1:] for path in doc["paths"] if path != "/whoami"}
    assert len(endpoints) == 40 and not any(e.endswith(".view") for e in endpoints)
    failed = {"$ref": "#/components/schemas/SubsonicFailed"}
    for endpoint in endpoints:
        item = doc["paths"][f"/{endpoint}"]
        assert set(item) == {"get", "post"}, endpoint
        get = item["get"]
        open_ = endpoint == "getOpenSubsonicExtensions"
        assert get["security"] == ([] if open_ else [{"subsonicUser": [], "subsonicToken": [],
            "subsonicSalt": []}, {"subsonicUser": [], "subsonicPassword": []},
            {"subsonicApiKey": []}])  # fmt: skip
        envelope = get["responses"]["200"]["content"]["application/json"]["schema"]
        answers = envelope["properties"]["subsonic-response"]
        assert failed in answers.get("anyOf", [answers]), endpoint
        assert "f" in {p["name"] for p in get["parameters"]}
        assert "f" in item["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"][
            "schema"]["properties"]  # fmt: skip
        # the alias and the form answer like the documented GET
        posted = await h.client.post(f"/rest/{endpoint}.view", data=token_auth(w))
        assert posted.status_code == 200 and "subsonic-response" in posted.json(), endpoint
    song = doc["paths"]["/getSong"]["get"]["parameters"]
    assert {"name": "id", "required": True} in [
        {"name": p["name"], "required": p["required"]} for p in song
    ]
    assert doc["paths"]["/stream"]["get"]["responses"]["302"]["headers"]["Location"]
    refused = await h.client.put("/rest/ping", params=token_auth(w))
    assert refused.status_code == 405 and "GET" in refused.headers["allow"]
    bad_format = await call(h.client, "ping", {**token_auth(w), "f": "json"}, callback="1x")
    assert error_of(bad_format)[0] == 0
