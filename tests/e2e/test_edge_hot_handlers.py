"""The hot handlers that read their caller and answer through kit.representation.Encoded
(reads of playlists, likes, reposts, comments, follows, adding to a playlist) answer as the
injected ones did: statuses, bodies, the 4xx of a malformed id or a caller without a user."""

from __future__ import annotations

from tests.e2e.conftest import Harness
from tests.factories import make_playlist, make_track, make_user

PUBLIC_WRITES = [
    ("POST", "/public/likes/tracks/{t}", 200), ("DELETE", "/public/likes/tracks/{t}", 200),
    ("POST", "/public/likes/playlists/{p}", 200), ("DELETE", "/public/likes/playlists/{p}", 200),
    ("POST", "/public/reposts/tracks/{t}", 201), ("DELETE", "/public/reposts/tracks/{t}", 200),
    ("POST", "/public/reposts/playlists/{p}", 201),
    ("DELETE", "/public/reposts/playlists/{p}", 200),
    ("PUT", "/public/me/followings/{u}", 200), ("DELETE", "/public/me/followings/{u}", 200),
]  # fmt: skip
MOBILE_WRITES = [
    ("POST", "/mobile/tracks/{t}/like", 200), ("DELETE", "/mobile/tracks/{t}/like", 200),
    ("POST", "/mobile/tracks/{t}/repost", 200), ("DELETE", "/mobile/tracks/{t}/repost", 200),
    ("POST", "/mobile/tracks/{t}/comments", 201),
    ("POST", "/mobile/playlists/{p}/like", 200), ("DELETE", "/mobile/playlists/{p}/like", 200),
    ("POST", "/mobile/playlists/{p}/repost", 200),
    ("DELETE", "/mobile/playlists/{p}/repost", 200),
    ("POST", "/mobile/playlists/{p}/tracks", 200),
    ("POST", "/mobile/users/{u}/follow", 200), ("DELETE", "/mobile/users/{u}/follow", 200),
]  # fmt: skip
READS = ["/public/playlists/{p}", "/public/playlists/{p}/tracks", "/mobile/playlists/{p}"]


def _body(path: str, track: int) -> dict[str, object] | None:
    if path.endswith("/comments"):
        return {"body": "nice", "timestamp_ms": 0}
    return {"track_ids": [track]} if path.endswith("/tracks") else None


async def test_hot_handlers_answer_as_before(sqlite_harness: Harness) -> None:
    h = sqlite_harness
    app, _ = await h.new_app("hot")
    me = await h.new_user("hot_listener")
    user_auth = {"Authorization": f"OAuth {await h.user_token(app, me)}"}
    app_auth = {"Authorization": f"OAuth {await h.app_token(app)}"}
    db = h.services.deps.db
    artist = await make_user(db)
    track = await make_track(db, artist)
    mine = await make_playlist(db, me, [])
    theirs = await make_playlist(db, artist, [track])
    for method, path, status in [*PUBLIC_WRITES, *MOBILE_WRITES]:
        playlist = mine if path.endswith("/tracks") else theirs
        url = path.format(t=track, p=playlist, u=artist)
        r = await h.client.request(method, url, headers=user_auth, json=_body(path, track))
        assert r.status_code == status, (method, url, r.text)
        assert r.headers["content-type"] == "application/json" and r.json()
        assert r.headers["x-content-type-options"] == "nosniff" and "etag" not in r.headers
        refused = await h.client.request(method, url, headers=app_auth, json=_body(path, track))
        assert refused.status_code == 401, (method, url)
        bff = path.split("/")[1]
        code = refused.json()["error"]
        assert (code["code"] if bff == "mobile" else code) == "user_required"
        bad = path.format(t="abc", p="abc", u="abc")
        r = await h.client.request(method, bad, headers=user_auth, json=_body(path, track))
        assert r.status_code == 404, (method, bad)
        if bff == "public":
            kind = bad.split("/")[-2].rstrip("s").replace("following", "user")
            assert r.json()["errors"] == [{"error_message": f"no {kind} 'abc'"}]
        else:
            zero = path.format(t=0, p=0, u=0)
            r = await h.client.request(method, zero, headers=user_auth, json=_body(path, track))
            assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_argument"
            assert r.json()["error"]["field"] in ("track_id", "playlist_id", "user_id")
    for path in READS:
        r = await h.client.get(path.format(p=theirs), headers=app_auth)
        assert r.status_code == 200 and r.headers["etag"], path
        cached = await h.client.get(
            path.format(p=theirs), headers={**app_auth, "If-None-Match": r.headers["etag"]}
        )
        assert cached.status_code == 304 and cached.content == b""
        assert (await h.client.get(path.format(p="abc"), headers=app_auth)).status_code == 404
