"""The edge's representation cache over HTTP: repeated catalogue reads are served from it, and
no write, privacy change or other viewer ever gets a stale or someone else's representation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.edge.kit.context import EdgeContext
from app.edge.kit.response_cache import ResponseCache
from app.foundation.db import count_statements
from app.value_added.creator import TrackChanges
from tests.e2e.conftest import Harness, in_process, serving, settings_for
from tests.e2e.test_mobile import World, on_app_loop, world


def responses(h: Harness) -> ResponseCache:
    return EdgeContext.of(h.app.state).responses


async def served_twice(w: World, path: str, headers: dict[str, str], **params: Any) -> Any:
    """GET twice (the first fills the record cache, the second the representation cache) and
    check a third is a hit that runs no SQL; returns the third response."""
    for _ in range(2):
        assert (await w.get(path, headers, **params)).status_code in (200, 404)
    hits = responses(w.h).hits
    with count_statements() as n:
        third = await w.get(path, headers, **params)
    if third.status_code == 200:
        assert responses(w.h).hits == hits + 1 and n[0] == 0
    return third


async def update(w: World, owner: int, track_id: int, **changes: Any) -> None:
    viewer = w.h.viewer(owner, w.app)
    await on_app_loop(
        w.h, w.h.services.creator.update_track, viewer, track_id, TrackChanges(**changes)
    )


async def test_repeated_read_is_a_hit_and_sees_every_later_write(harness: Harness) -> None:
    w = await world(harness)
    track_id = await w.track(w.alice, title="First")
    first = await served_twice(w, f"/tracks/{track_id}", w.as_bob)
    assert first.json()["stats"]["likes"] == 0 and first.json()["viewer"]["liked"] is False

    await w.h.client.post(f"/mobile/tracks/{track_id}/like", headers=w.as_bob)
    liked = await w.get(f"/tracks/{track_id}", w.as_bob)
    assert liked.json()["stats"]["likes"] == 1 and liked.json()["viewer"]["liked"] is True

    await update(w, w.alice, track_id, title="Renamed")
    assert (await w.get(f"/tracks/{track_id}", w.as_bob)).json()["title"] == "Renamed"
    assert first.headers["etag"] != liked.headers["etag"]


async def test_a_track_made_private_stops_being_served_at_once(harness: Harness) -> None:
    w = await world(harness)
    track_id = await w.track(w.alice)
    assert (await served_twice(w, f"/tracks/{track_id}", w.as_bob)).status_code == 200
    assert (await served_twice(w, f"/tracks/{track_id}", {}, **w.anon)).status_code == 200

    await update(w, w.alice, track_id, sharing="private")
    assert (await w.get(f"/tracks/{track_id}", w.as_bob)).status_code == 404
    assert (await w.get(f"/tracks/{track_id}", **w.anon)).status_code == 404
    assert (await w.get(f"/tracks/{track_id}", w.as_alice)).status_code == 200


async def test_one_viewers_representation_is_never_anothers(harness: Harness) -> None:
    w = await world(harness)
    track_id = await w.track(w.alice, sharing="private")
    own = await served_twice(w, f"/tracks/{track_id}", w.as_alice)
    assert own.status_code == 200
    assert (await w.get(f"/tracks/{track_id}", w.as_bob)).status_code == 404
    assert (await w.get(f"/tracks/{track_id}", **w.anon)).status_code == 404

    public_id = await w.track(w.alice)
    await w.h.client.post(f"/mobile/tracks/{public_id}/like", headers=w.as_alice)
    assert (await served_twice(w, f"/tracks/{public_id}", w.as_alice)).json()["viewer"]["liked"]
    assert not (await w.get(f"/tracks/{public_id}", w.as_bob)).json()["viewer"]["liked"]
    assert "viewer" not in (await w.get(f"/tracks/{public_id}", **w.anon)).json()


async def test_hits_keep_conditional_gets_rate_limits_and_request_ids(harness: Harness) -> None:
    w = await world(harness)
    track_id = await w.track(w.alice)
    hit = await served_twice(w, f"/tracks/{track_id}", w.as_bob)
    again = await w.get(f"/tracks/{track_id}", w.as_bob)
    assert again.content == hit.content and again.headers["etag"] == hit.headers["etag"]
    assert again.headers["x-request-id"] != hit.headers["x-request-id"]
    remaining = int(again.headers["x-ratelimit-remaining"])
    assert remaining == int(hit.headers["x-ratelimit-remaining"]) - 1
    assert again.headers["cache-control"] == "private, no-cache"

    hits = responses(w.h).hits
    not_modified = await w.get(
        f"/tracks/{track_id}", {**w.as_bob, "If-None-Match": hit.headers["etag"]}
    )
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert responses(w.h).hits == hits + 1


async def test_a_playlist_sees_changes_to_any_of_its_tracks(harness: Harness) -> None:
    w = await world(harness)
    tracks = [await w.track(w.alice, title=f"Song {i}") for i in range(3)]
    playlist_id = await w.playlist(w.alice, tracks)
    cached = await served_twice(w, f"/playlists/{playlist_id}", w.as_bob)
    assert cached.status_code == 200

    await update(w, w.alice, tracks[1], title="Retitled")
    assert "Retitled" in (await w.get(f"/playlists/{playlist_id}", w.as_bob)).text
    await update(w, w.alice, tracks[2], sharing="private")
    body = (await w.get(f"/playlists/{playlist_id}", w.as_bob)).text
    assert "Song 2" not in body and "Song 0" in body


async def test_every_bff_serves_repeats_from_the_cache(harness: Harness) -> None:
    w = await world(harness)
    track_id = await w.track(w.alice, title="Everywhere")
    web_app, _ = await on_app_loop(w.h, w.h.new_app, "Web", bffs=("web", "public"))
    token = await on_app_loop(w.h, w.h.app_token, web_app)
    calls = [
        (f"/web/tracks/{track_id}", {}, {"client_id": web_app.client_id}),
        (f"/public/tracks/soundcloud:tracks:{track_id}", {"Authorization": f"OAuth {token}"}, {}),
    ]
    for path, headers, params in calls:
        for _ in range(2):
            await w.h.client.get(path, headers=headers, params=params)
        hits = responses(w.h).hits
        third = await w.h.client.get(path, headers=headers, params=params)
        assert third.status_code == 200 and "Everywhere" in third.text
        assert responses(w.h).hits == hits + 1, path
    await update(w, w.alice, track_id, title="Changed")
    for path, headers, params in calls:
        assert "Changed" in (await w.h.client.get(path, headers=headers, params=params)).text


async def test_writes_and_uncacheable_reads_bypass_the_cache(harness: Harness) -> None:
    w = await world(harness)
    track_id = await w.track(w.alice)
    cache = responses(w.h)
    before = (cache.hits, cache.misses, len(cache))
    for _ in range(3):
        await w.h.client.post(f"/mobile/tracks/{track_id}/like", headers=w.as_bob)
        await w.get("/me", w.as_bob)  # personal, not a catalogue read
    assert (cache.hits, cache.misses, len(cache)) == before


async def test_reads_the_record_cache_does_not_cover_are_never_kept(harness: Harness) -> None:
    w = await world(harness)
    track_id = await w.track(w.alice)
    path = f"/tracks/{track_id}/comments"
    for _ in range(3):  # comments come straight from the database on every request
        assert (await w.get(path, w.as_bob)).json()["collection"] == []
    await w.h.client.post(f"/mobile{path}", headers=w.as_bob, json={"body": "first!"})
    assert [c["body"] for c in (await w.get(path, w.as_bob)).json()["collection"]] == ["first!"]


async def test_links_built_from_the_request_host_are_not_shared(harness: Harness) -> None:
    w = await world(harness)
    track_id = await w.track(w.alice)
    public_app, _ = await on_app_loop(w.h, w.h.new_app, "Hosts", bffs=("public",))
    token = await on_app_loop(w.h, w.h.app_token, public_app)
    path = f"/public/tracks/soundcloud:tracks:{track_id}"
    a, b = "localhost:8000", "127.0.0.1:8000"  # (two allowed hosts: ALLOWED_HOSTS)
    for host in (a, b, a, b):
        r = await w.h.client.get(path, headers={"Authorization": f"OAuth {token}", "Host": host})
        assert r.status_code == 200 and f"//{host}/" in r.text, (host, r.text)
        other = b if host == a else a
        assert other not in r.text


async def test_with_the_response_cache_off_every_read_is_built_and_still_fresh(
    sqlite_url: str, tmp_path: Path
) -> None:
    settings = settings_for(sqlite_url, tmp_path, response_cache=False)
    async with serving(in_process(settings)) as h:
        w = await world(h)
        track_id = await w.track(w.alice, title="First")
        for _ in range(3):
            assert (await w.get(f"/tracks/{track_id}", w.as_bob)).status_code == 200
        assert (responses(h).hits, len(responses(h))) == (0, 0)
        await update(w, w.alice, track_id, title="Renamed")
        assert (await w.get(f"/tracks/{track_id}", w.as_bob)).json()["title"] == "Renamed"
