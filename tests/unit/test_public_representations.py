"""The public BFF's representations (app/edge/public/mappers.py): an absent value is left out of
the JSON (never null, where SoundCloud's document does not say nullable), the values that are
always there are, and each timestamp is in the format its schema declares."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from app.edge.public import mappers
from app.value_added.media import StreamGrant
from app.value_added.tracks import Track, TrackPolicy
from app.value_added.users import User
from app.value_added.users.aggregates import UserStats


class _Links:
    """The request's links, as fixed roots."""

    def api(self, path: str, params: dict[str, Any] | None = None) -> str:
        return "https://api.test" + path

    def page(self, path: str) -> str:
        return "https://site.test" + path

    def media(self, path: str) -> str:
        return path if path.startswith("https://") else "https://api.test" + path

    def next_href(self, cursor: str | None, cursor_param: str = "cursor") -> str | None:
        return f"https://api.test/next?{cursor_param}={cursor}" if cursor else None


LINKS: Any = _Links()
MOMENT = dt.datetime(2024, 2, 3, 4, 5, 6, 789, tzinfo=dt.timezone(dt.timedelta(hours=2)))


def _json(value: Any) -> dict[str, Any]:
    decoded: dict[str, Any] = msgspec.json.decode(msgspec.json.encode(value))
    return decoded


def test_a_track_without_its_parts_holds_only_what_is_always_there() -> None:
    body = _json(mappers.track(Track(id=7, user_id=3, bpm=None, isrc=None), {}, LINKS))
    assert body == {
        "kind": "track",
        "id": 7,
        "urn": "soundcloud:tracks:7",
        "user_id": 3,
        "user_urn": "soundcloud:users:3",
        "uri": "https://api.test/tracks/soundcloud:tracks:7",
        "embeddable_by": "all",
        "reveal_stats": True,
        "reveal_comments": True,
    }


def test_a_policy_brings_its_fields_and_a_null_download_url() -> None:
    policy = TrackPolicy(
        "private", "preview", True, False, True, "none", None, False, True, True, "s-1", ["DE"]
    )
    owner = User(id=3, permalink="alice")
    track = Track(id=7, user_id=3, permalink="song", title="", policy=policy, created_at=MOMENT)
    body = _json(mappers.track(track, {3: owner}, LINKS))
    assert body["download_url"] is None
    assert body["title"] == ""  # present, though empty
    assert body["secret_uri"].endswith("?secret_token=s-1")
    assert body["available_country_codes"] == "DE"
    assert body["permalink_url"] == "https://site.test/alice/song"
    assert body["user"]["kind"] == "user"
    assert body["created_at"] == "2024/02/03 02:05:06 +0000"


def test_a_user_has_rfc3339_timestamps_and_me_soundclouds() -> None:
    stats = UserStats(1, 2, 3, 4, 5, 6, 7, 8, private_tracks=1, private_playlists=2)
    naive = dt.datetime(2024, 2, 3, 4, 5, 6, 789)
    found = User(id=3, created_at=MOMENT, updated_at=naive, country=None, stats=stats)
    user = _json(mappers.user(found, LINKS))
    assert user["created_at"] == "2024-02-03T02:05:06Z"
    assert user["last_modified"] == "2024-02-03T04:05:06Z"
    assert "country" not in user and "private_tracks_count" not in user
    assert user["permalink_url"] == "https://site.test/3"
    me = _json(mappers.me(found, LINKS))
    assert me["created_at"] == "2024/02/03 02:05:06 +0000"
    assert me["locale"] is None and me["online"] is False
    assert me["quota"]["upload_seconds_left"] is None
    assert (me["private_tracks_count"], me["private_playlists_count"]) == (1, 2)


def test_pages_name_a_next_page_only_when_there_is_one() -> None:
    tracks = [mappers.track(Track(id=1, user_id=3), {}, LINKS)]
    assert set(_json(mappers.collection(mappers.rep.Tracks, LINKS, tracks, None))) == {"collection"}
    page = _json(mappers.collection(mappers.rep.Tracks, LINKS, tracks, "abc"))
    assert page["next_href"] == "https://api.test/next?cursor=abc"
    bare = mappers.listing(mappers.rep.Tracks, LINKS, False, tracks, "abc")
    assert isinstance(bare, list) and bare == tracks


def test_streams_name_only_the_kinds_granted() -> None:
    grant = StreamGrant(
        kind="hls",
        format="aac_160",
        mime_type="application/vnd.apple.mpegurl",
        url="/media/h.m3u8",
        expires_at=MOMENT,
        preview=False,
        duration_ms=1000,
    )
    assert _json(mappers.streams(LINKS, [grant])) == {
        "hls_aac_160_url": "https://api.test/media/h.m3u8"
    }
