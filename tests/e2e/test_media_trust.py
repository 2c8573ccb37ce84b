"""Trust at the media edge (issue 12, items 7 and 8), on both storage adapters: every signed URL
is re-checked against the access policy for the viewer it was issued to, a deleted track's URLs
and objects are gone, a download grant counts once, and /media is rate limited per address."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import httpx
import msgspec
import pytest

from app.foundation.db import count_statements, utcnow
from app.value_added.common.fieldmask import FieldMask
from app.value_added.creator import TrackChanges
from app.value_added.media import download_path
from app.value_added.media.urls import signed_path
from tests.conftest import MediaStore
from tests.e2e.conftest import BASE_URL, Harness, in_process, serving, settings_for
from tests.e2e.test_media_delivery import processed_track

STATS = FieldMask.parse("stats")
SHORT = 3
"""Seconds of audio: nothing here depends on the length (one HLS segment)."""


def _token(url: str) -> str:
    return url.split("/")[3]


def _progressive(grants: list[object]) -> str:
    return next(g.url for g in grants if g.kind == "progressive")  # type: ignore[attr-defined]


def _error(response: httpx.Response) -> dict[str, object]:
    return dict(response.json())


async def _until_deleted(h: Harness, store: MediaStore) -> tuple[list[str], list[str]]:
    """(stored keys, queued deletions) once the in-process worker ran the queue (within a
    second or so)."""
    for _ in range(100):
        left = (store.keys(), await h.services.media.deletions.pending())
        if left == ([], []):
            break
        await asyncio.sleep(0.05)
    return left


async def test_deleted_track_urls_answer_404_like_unknown_and_its_objects_go(
    media_harness: Harness, media_store: MediaStore
) -> None:
    h = media_harness
    owner, track_id = await processed_track(h, SHORT, downloadable=True)
    me = h.viewer(owner)
    grants = await h.services.tracks.streams(me, track_id)
    stream = _progressive(grants)
    playlist = next(g.url for g in grants if g.kind == "hls")
    listing = await h.client.get(playlist)
    segment = next(x for x in listing.text.splitlines() if x and not x.startswith("#"))
    wave = await h.services.tracks.waveform_url(track_id, me)
    download = download_path((await h.services.tracks.download(me, track_id)).token)
    assert wave is not None
    for url in (stream, playlist, segment, wave, download):
        assert (await h.client.get(url)).status_code == 200, url
    assert media_store.keys()

    signed = await h.services.tracks.authorize_media(_token(stream))
    never_stored = msgspec.structs.replace(signed.claims, key="0" * 32)
    unknown = await h.client.get(
        signed_path(h.services.deps.grants, never_stored, signed.expires_at)
    )
    assert unknown.status_code == 404

    await h.services.creator.delete_track(me, track_id)  # as every BFF deletes
    for url in (stream, playlist, segment, wave):
        gone = await h.client.get(url)
        assert gone.status_code == 404 and _error(gone) == _error(unknown), url
        assert (await h.client.head(url)).status_code == 404
    gone_download = await h.client.get(download)
    assert gone_download.status_code == 404 and gone_download.json()["reason"] == "not_found"

    # the original, transcodings, segments and waveform
    assert await _until_deleted(h, media_store) == ([], [])


async def test_hidden_taken_down_and_blocked_tracks_stop_streaming_at_once(
    media_harness: Harness,
) -> None:
    h = media_harness
    owner, track_id = await processed_track(h, SHORT)
    me, listener = h.viewer(owner), h.viewer(None)
    theirs = _progressive(await h.services.tracks.streams(listener, track_id))
    mine = _progressive(await h.services.tracks.streams(me, track_id))
    assert (await h.client.get(theirs)).status_code == 200
    creator = h.services.creator

    await creator.update_track(me, track_id, TrackChanges(sharing="private"))
    assert (await h.client.get(theirs)).status_code == 404  # hidden: as if it never existed
    assert (await h.client.get(mine)).status_code == 200  # issued to the owner, who still sees it
    await creator.update_track(me, track_id, TrackChanges(sharing="public"))
    assert (await h.client.get(theirs)).status_code == 200

    async with h.services.deps.db.write() as uow:
        await uow.policies.update(track_id, {"taken_down_at": utcnow(), "takedown_reason": "dmca"})
    assert (await h.client.get(theirs)).status_code == 404
    async with h.services.deps.db.write() as uow:
        await uow.policies.update(track_id, {"taken_down_at": None, "takedown_reason": ""})
    assert (await h.client.get(theirs)).status_code == 200

    await creator.update_track(me, track_id, TrackChanges(territories=["US"]))  # listener in DE
    blocked = await h.client.get(theirs)
    assert blocked.status_code == 403 and blocked.json()["reason"] == "blocked"
    await creator.update_track(me, track_id, TrackChanges(territories=None, monetization="premium"))
    assert (await h.client.get(theirs)).status_code == 403  # a full stream, now premium only
    preview = _progressive(await h.services.tracks.streams(listener, track_id))
    assert (await h.client.get(preview)).status_code == 200  # its preview still plays


async def test_secret_link_urls_follow_the_secret_token(media_harness: Harness) -> None:
    h = media_harness
    owner, track_id = await processed_track(h, SHORT, sharing="private")
    me, stranger = h.viewer(owner), h.viewer(None)
    policy = (await h.services.creator.my_tracks(me, owner)).items[0]
    token = policy.secret_token
    assert token
    url = _progressive(await h.services.tracks.streams(stranger, track_id, token))
    assert (await h.client.get(url)).status_code == 200
    assert token not in url  # only a keyed digest of it travels in the URL
    async with h.services.deps.db.write() as uow:  # the owner replaced the secret link
        await uow.policies.update(track_id, {"secret_token": "s-a-new-secret-link"})
    assert (await h.client.get(url)).status_code == 404


async def test_a_still_public_track_streams_without_sql_once_cached(
    media_harness: Harness,
) -> None:
    h = media_harness
    _, track_id = await processed_track(h, SHORT)
    url = _progressive(await h.services.tracks.streams(h.viewer(None), track_id))
    assert (await h.client.get(url, headers={"Range": "bytes=0-9"})).status_code == 206
    with count_statements() as n:
        again = await h.client.get(url, headers={"Range": "bytes=10-19"})
    assert again.status_code == 206 and len(again.content) == 10
    assert n[0] == 0


async def test_a_download_grant_counts_once_however_often_fetched(media_harness: Harness) -> None:
    h = media_harness
    owner, track_id = await processed_track(h, SHORT, downloadable=True)
    fan = await h.new_user("fan")
    grant = await h.services.tracks.download(h.viewer(fan), track_id)
    url = download_path(grant.token)
    for _ in range(20):  # issue 12 item 7: replayed with `Range: bytes=0-0`
        part = await h.client.get(url, headers={"Range": "bytes=0-0"})
        assert part.status_code == 206 and len(part.content) == 1
    assert (await h.client.get(url)).status_code == 200
    assert (await h.client.head(url)).status_code == 200

    async def downloads() -> int:
        track = await h.services.tracks.get(h.viewer(owner), track_id, STATS)
        return track.stats.downloads  # type: ignore[union-attr]

    assert await downloads() == 1
    async with h.services.deps.db.read() as uow:
        found = await uow.plays.daily_downloads(
            [track_id], utcnow() - dt.timedelta(days=1), utcnow()
        )
    assert sum(row.count for row in found) == 1
    second = await h.services.tracks.download(h.viewer(fan), track_id)
    assert (await h.client.get(download_path(second.token))).status_code == 200
    assert await downloads() == 2


async def test_media_is_rate_limited_per_client_address(sqlite_url: str, tmp_path: Path) -> None:
    settings = settings_for(
        sqlite_url, tmp_path, rate_limit_media_per_minute=5, trusted_proxies=("127.0.0.1",)
    )
    async with serving(in_process(settings)) as h:
        missing = "/media/artwork/" + "a" * 32 + "/large.jpg"
        statuses = [(await h.client.get(missing)).status_code for _ in range(6)]
        assert statuses == [404] * 5 + [429]
        limited = await h.client.get(missing)
        assert limited.json()["reason"] == "rate_limited" and "retry-after" in limited.headers
        # behind the (trusted) proxy, each client address has a budget of its own
        other = await h.client.get(missing, headers={"X-Forwarded-For": "203.0.113.9"})
        assert other.status_code == 404
        # an untrusted peer cannot pick another address with X-Forwarded-For
        direct = httpx.ASGITransport(app=h.app, client=("198.51.100.7", 4000))
        async with httpx.AsyncClient(transport=direct, base_url=BASE_URL) as client:
            spoofed = [
                (await client.get(missing, headers={"X-Forwarded-For": f"192.0.2.{n}"}))
                for n in range(6)
            ]
        assert [r.status_code for r in spoofed] == [404] * 5 + [429]


@pytest.mark.parametrize("media_store", ["s3"], indirect=True)
async def test_redirect_delivery_hands_out_short_lived_presigned_urls(
    sqlite_url: str, tmp_path: Path, media_store: MediaStore
) -> None:
    settings = settings_for(
        sqlite_url, tmp_path, media_delivery="redirect", **media_store.settings()
    )
    async with serving(in_process(settings)) as h:
        owner, track_id = await processed_track(h, SHORT, downloadable=True)
        grants = await h.services.tracks.streams(h.viewer(None), track_id)
        url = _progressive(grants)
        ours = await h.client.get(url)
        assert ours.status_code == 302 and ours.headers["cache-control"] == "private, no-store"
        location = ours.headers["location"]
        assert location.startswith(media_store.endpoint or "") and "X-Amz-Signature" in location
        lifetime = int(httpx.URL(location).params["X-Amz-Expires"])
        assert 1 <= lifetime <= 60  # never beyond our own URL (10 min) nor the redirect TTL
        async with httpx.AsyncClient() as store:
            whole = await store.get(location)
            assert whole.status_code == 200 and whole.headers["content-type"] == "audio/mpeg"
            part = await store.get(location, headers={"Range": "bytes=5-14"})
            assert part.status_code == 206 and part.content == whole.content[5:15]
            bare = location.split("?")[0]  # the bucket is private: no signature, no object
            assert (await store.get(bare)).status_code == 403
            playlist = next(g.url for g in grants if g.kind == "hls")
            assert (await h.client.get(playlist)).status_code == 200  # playlists are proxied
            grant = await h.services.tracks.download(h.viewer(None), track_id)
            moved = await h.client.get(download_path(grant.token))
            assert moved.status_code == 302
            original = await store.get(moved.headers["location"])
            assert original.status_code == 200
            assert original.headers["content-disposition"].startswith("attachment;")

        await h.services.creator.update_track(
            h.viewer(owner), track_id, TrackChanges(sharing="private")
        )
        assert (await h.client.get(url)).status_code == 404  # re-checked before any redirect
