"""The demo's audio: synthesised clips transcoded like uploads, stored per track (copies inside
the store), playable through every BFF, and `media.state` truthful before and after."""

from __future__ import annotations

import hashlib

import msgspec

from app.value_added.access import Viewer
from app.value_added.media import DEMO_CLIP_MS, artwork_url
from app.value_added.media.demo import CLIPS
from tests.e2e.conftest import Harness
from tests.factories import make_track, make_user
from tests.integration.test_media_audio import decoded_seconds


async def _progressive(h: Harness, viewer: Viewer, track_id: int) -> bytes:
    grants = await h.services.tracks.streams(viewer, track_id)
    url = next(g.url for g in grants if g.kind == "progressive" and not g.preview)
    got = await h.client.get(url)
    assert got.status_code == 200 and got.headers["content-type"] == "audio/mpeg"
    return got.content


class Elsewhere(msgspec.Struct):
    """How the partner and Subsonic BFFs ask for a track's media state."""

    partner: dict[str, str]
    subsonic: dict[str, str]


async def _partner_and_player(h: Harness, owner: int) -> Elsewhere:
    label, _ = await h.new_app("Demo label", ("partner",), ("partner:catalog",))
    await h.services.identity.grant_partner(label.id, owner)
    key = (await h.services.identity.create_api_key(owner, "demo player")).api_key
    return Elsewhere(
        partner={"Authorization": f"Bearer {await h.app_token(label)}"},
        subsonic={"apiKey": key, "v": "1.16.1", "c": "tests", "f": "json"},
    )


async def _states_elsewhere(h: Harness, how: Elsewhere, track_id: int) -> tuple[str, str, int]:
    """(partner's media.state, Subsonic's song mediaState, Subsonic's stream error code or 0)."""
    partner = await h.client.get(f"/partner/tracks/{track_id}", headers=how.partner)
    assert partner.status_code == 200, partner.text
    song = await h.client.get("/rest/getSong", params={**how.subsonic, "id": f"tr-{track_id}"})
    body = song.json()["subsonic-response"]
    assert body["status"] == "ok", body
    stream = await h.client.get("/rest/stream", params={**how.subsonic, "id": f"tr-{track_id}"})
    code = 0 if stream.status_code == 302 else stream.json()["subsonic-response"]["error"]["code"]
    return partner.json()["media"]["state"], body["song"]["mediaState"], code


async def test_demo_tracks_get_distinct_playable_audio_and_artwork(media_harness: Harness) -> None:
    h = media_harness
    db = h.services.deps.db
    owner = await make_user(db)
    tracks = [await make_track(db, owner, duration_ms=DEMO_CLIP_MS) for _ in range(CLIPS + 1)]
    app, _ = await h.new_app("Demo test")
    anon = {"client_id": app.client_id}
    elsewhere = await _partner_and_player(h, owner)

    before = await h.client.get(f"/public/tracks/{tracks[0]}", params=anon)
    assert before.json()["media"] == {"state": "none"} and not before.json().get("artwork_url")
    mobile = await h.client.get(f"/mobile/tracks/{tracks[0]}", params=anon)
    assert mobile.json()["media"]["state"] == "none"
    assert await _states_elsewhere(h, elsewhere, tracks[0]) == ("none", "none", 70)

    furnished = await h.services.media.furnish_demo(tracks)
    assert furnished.tracks == len(tracks)
    assert (await h.services.media.furnish_demo(tracks)).tracks == 0  # only tracks without media

    viewer = h.viewer(None, app)
    clips = {t: await _progressive(h, viewer, t) for t in tracks}
    for body in clips.values():
        assert abs(decoded_seconds(body) - DEMO_CLIP_MS / 1000) < 0.2
    # track n plays clip n % CLIPS: the first CLIPS tracks are all different, then it repeats
    digests = [hashlib.sha256(clips[t]).hexdigest() for t in tracks]
    assert len(set(digests[:CLIPS])) == CLIPS and digests[CLIPS] in digests[:CLIPS]

    grants = await h.services.tracks.streams(viewer, tracks[1])
    hls = next(g.url for g in grants if g.kind == "hls")
    playlist = await h.client.get(hls)
    segments = [line for line in playlist.text.splitlines() if line and line[0] != "#"]
    body = b"".join([(await h.client.get(s)).content for s in segments])
    assert abs(decoded_seconds(body) - DEMO_CLIP_MS / 1000) < 0.3

    public = (await h.client.get(f"/public/tracks/{tracks[1]}", params=anon)).json()
    assert public["media"] == {"state": "ready"} and public["duration"] == DEMO_CLIP_MS
    art = await h.client.get(artwork_url(public["artwork_url"].split("/")[-1], "t500x500"))
    assert art.status_code == 200 and art.headers["content-type"] == "image/jpeg"
    preview = await h.client.get(f"/public/tracks/{tracks[1]}/preview", params=anon)
    assert preview.status_code in (200, 302), preview.text
    mobile = (await h.client.get(f"/mobile/tracks/{tracks[1]}", params=anon)).json()
    assert mobile["media"]["state"] == "ready"
    web = (await h.client.get(f"/web/tracks/{tracks[1]}", params=anon)).json()
    assert web["media"]["state"] == "ready" and web["media"]["transcodings"]
    assert await _states_elsewhere(h, elsewhere, tracks[1]) == ("ready", "ready", 0)
    wave_url = await h.services.tracks.waveform_url(tracks[1], viewer)
    assert wave_url
    wave = await h.client.get(wave_url)
    assert wave.status_code == 200 and len(wave.json()["samples"]) == 1800

    # every track owns its copies: deleting the track that shares a clip leaves the other playing
    await h.services.creator.delete_track(h.viewer(owner), tracks[CLIPS])
    twin = tracks[digests[:CLIPS].index(digests[CLIPS])]
    assert await _progressive(h, viewer, twin) == clips[twin]
