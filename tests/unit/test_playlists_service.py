"""Playlists VAS over in-memory fakes: sharing, tracks per viewer, entries and engagement."""

from __future__ import annotations

import pytest
from msgspec import UNSET

from app.value_added.common.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    Unauthenticated,
)
from app.value_added.common.fieldmask import FieldMask
from app.value_added.playlists import PlaylistDraft
from tests.factories import make_track, make_user
from tests.unit.fakes.harness import Harness, build_harness, viewer

ALL = FieldMask.all()


@pytest.fixture
def h() -> Harness:
    return build_harness()


async def entry_ids(h: Harness, playlist_id: int) -> list[int]:
    async with h.db.read() as uow:
        return [e.track_id for e in await uow.playlists.entries_of([playlist_id])]


async def setup(h: Harness, n: int = 4) -> tuple[int, int, list[int]]:
    owner, other = await make_user(h.db), await make_user(h.db)
    tracks = [await make_track(h.db, owner, duration_ms=1000 * (i + 1)) for i in range(n)]
    return owner, other, tracks


async def test_create_sharing_and_tracks_filtered_per_viewer(h: Harness) -> None:
    owner, other, tracks = await setup(h, 2)
    secret = await make_track(h.db, owner, sharing="private")
    draft = PlaylistDraft(title="Night Mix", track_ids=(tracks[0], secret, tracks[1]))
    made = await h.playlists.create(viewer(owner), draft)
    assert made.permalink == "night-mix" and made.track_ids == [tracks[0], secret, tracks[1]]
    assert made.stats is not UNSET and (made.stats.tracks, made.stats.duration_ms) == (3, 183_000)
    seen = await h.playlists.get(viewer(other), made.id, FieldMask(["track_ids", "tracks.title"]))
    assert seen.track_ids == [tracks[0], tracks[1]]
    assert seen.tracks is not UNSET and [t.id for t in seen.tracks] == [tracks[0], tracks[1]]
    again = await h.playlists.create(viewer(owner), PlaylistDraft(title="Night Mix"))
    assert again.permalink == "night-mix-2"
    hidden = await h.playlists.create(viewer(owner), PlaylistDraft(title="Mine", sharing="private"))
    with pytest.raises(NotFound):
        await h.playlists.get(viewer(other), hidden.id, ALL)
    assert hidden.policy is not UNSET and hidden.policy.secret_token
    token = hidden.policy.secret_token
    assert (await h.playlists.get(viewer(other), hidden.id, ALL, token)).id == hidden.id
    got = await h.playlists.get_many(viewer(other), [hidden.id, again.id, made.id], ALL)
    assert [p.id for p in got] == [again.id, made.id]
    with pytest.raises(Unauthenticated):
        await h.playlists.create(viewer(None), PlaylistDraft(title="x"))
    with pytest.raises(NotFound):  # a track the creator cannot see
        await h.playlists.create(viewer(other), PlaylistDraft(title="x", track_ids=(secret,)))


async def test_add_and_remove_tracks_keep_counters(h: Harness) -> None:
    owner, other, tracks = await setup(h)
    p = (await h.playlists.create(viewer(owner), PlaylistDraft(title="P"))).id
    await h.playlists.add_tracks(viewer(owner), p, [tracks[0], tracks[1]])
    await h.playlists.add_tracks(viewer(owner), p, [tracks[0]])
    assert await entry_ids(h, p) == [tracks[0], tracks[1], tracks[0]]
    hidden = await make_track(h.db, other, sharing="private")
    with pytest.raises(NotFound):
        await h.playlists.add_tracks(viewer(owner), p, [tracks[2], hidden])
    assert await entry_ids(h, p) == [tracks[0], tracks[1], tracks[0]]  # nothing half-added
    await h.playlists.remove_track(viewer(owner), p, tracks[0])  # every entry of that track
    assert await entry_ids(h, p) == [tracks[1]]
    stats = (await h.playlists.get(viewer(owner), p, FieldMask(["stats"]))).stats
    assert stats is not UNSET and (stats.tracks, stats.duration_ms) == (1, 2000)
    with pytest.raises(NotFound):
        await h.playlists.remove_track(viewer(owner), p, tracks[3])
    with pytest.raises(PermissionDenied):
        await h.playlists.add_tracks(viewer(other), p, [tracks[2]])
    with pytest.raises(NotFound):
        await h.playlists.add_tracks(viewer(owner), 404, [tracks[2]])


async def test_reorder_puts_named_first_and_keeps_the_rest_after(h: Harness) -> None:
    owner, other, t = await setup(h, 5)
    draft = PlaylistDraft(title="R", track_ids=tuple(t))
    p = (await h.playlists.create(viewer(owner), draft)).id
    await h.playlists.reorder(viewer(owner), p, [t[3], t[1]])
    assert await entry_ids(h, p) == [t[3], t[1], t[0], t[2], t[4]]
    await h.playlists.reorder(viewer(owner), p, [])
    assert await entry_ids(h, p) == [t[3], t[1], t[0], t[2], t[4]]
    stranger = await make_track(h.db, owner)
    with pytest.raises(Conflict) as err:
        await h.playlists.reorder(viewer(owner), p, [t[0], stranger])
    assert err.value.reason == "not_in_playlist"
    with pytest.raises(PermissionDenied):
        await h.playlists.reorder(viewer(other), p, [t[0]])


async def test_like_is_idempotent_and_mask_skips_reads(h: Harness) -> None:
    owner, other, tracks = await setup(h, 2)
    draft = PlaylistDraft(title="L", track_ids=tuple(tracks))
    p = (await h.playlists.create(viewer(owner), draft)).id
    assert (await h.playlists.like(viewer(other), p)).count == 1
    assert (await h.playlists.like(viewer(other), p)).count == 1
    assert (await h.playlists.unlike(viewer(other), p)).count == 0
    assert (await h.playlists.repost(viewer(other), p)).count == 1
    async with h.db.read() as uow:
        counts = (await uow.counters.user_counts([other]))[0]
    assert (counts.playlist_likes, counts.reposts) == (0, 1)

    h.db.calls.clear()
    slim = await h.playlists.get(viewer(other), p, FieldMask(["title"]))
    assert slim.title == "L" and slim.tracks is UNSET and slim.stats is UNSET
    for call in ("playlists.entries_of", "counters.playlist_counts", "tracks.get_many"):
        assert h.db.calls[call] == 0, call
    h.db.calls.clear()
    full = await h.playlists.get(viewer(other), p, ALL)
    assert full.viewer is not UNSET and full.viewer.reposted and not full.viewer.liked
    assert h.db.calls["playlists.entries_of"] == 1 and h.db.calls["counters.playlist_counts"] == 1


async def test_adding_a_track_twice_in_one_call_counts_its_duration_twice(h: Harness) -> None:
    owner, _, tracks = await setup(h, 1)
    p = (await h.playlists.create(viewer(owner), PlaylistDraft(title="D"))).id
    await h.playlists.add_tracks(viewer(owner), p, [tracks[0], tracks[0]])
    stats = (await h.playlists.get(viewer(owner), p, FieldMask(["stats"]))).stats
    assert stats is not UNSET and (stats.tracks, stats.duration_ms) == (2, 2000)
