"""Catalogue queries over real databases: the SQL twin of the access policy agrees with it, and
the releases (albums, singles), artists, genres, samples and most-played lists built on it never
show a track the viewer may not see."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import AsyncIterator

import pytest

from app.foundation.db import utcnow
from app.foundation.tracks.records import TrackSearch
from app.value_added import access
from app.value_added.access import Viewer
from app.value_added.common.errors import InvalidArgument, NotFound
from app.value_added.common.fieldmask import FieldMask
from app.value_added.playlists import AlbumRef
from app.value_added.registry import Services, build_services
from app.value_added.tracks import TrackQuery
from tests.factories import make_playlist, make_track, make_user

ALL = FieldMask.all()


@pytest.fixture
async def services(database_url: str) -> AsyncIterator[Services]:
    s = build_services(database_url, "test-secret-key-0123456789")
    yield s
    await s.close()


def viewer(user_id: int | None) -> Viewer:
    return Viewer(user_id=user_id, app_id=None, territory="DE", plan="free")


async def test_sql_twin_of_the_policy_agrees_with_it(services: Services) -> None:
    """Every combination of sharing, release and takedown, for anonymous, owner and other."""
    db = services.deps.db
    owner, other = await make_user(db), await make_user(db)
    now = utcnow()
    releases = [None, now - dt.timedelta(days=1), now + dt.timedelta(days=1)]
    combos = list(itertools.product(["public", "private"], releases, [False, True]))
    ids = [await make_track(db, owner, sharing=s, release_at=r, taken_down=t) for s, r, t in combos]
    async with db.read() as uow:
        policies = {p.track_id: p for p in await uow.policies.get_many(ids)}
    for who in (None, owner, other):
        async with db.read() as uow:
            found = await uow.catalog.sample(now, who, 1000, TrackSearch())
            owners = await uow.catalog.owners([owner], now, who)
        expected = {i for i in ids if access.track_visible(viewer(who), owner, policies[i], now)}
        assert {t.id for t in found} == expected, who
        assert (owner in owners) == bool(expected)


async def test_albums_singles_and_the_release_of_each_track(services: Services) -> None:
    db = services.deps.db
    artist, fan = await make_user(db), await make_user(db)
    on_album = [await make_track(db, artist, duration_ms=60_000) for _ in range(2)]
    hidden_on_album = await make_track(db, artist, sharing="private")
    single = await make_track(db, artist, duration_ms=30_000)
    private_single = await make_track(db, artist, sharing="private")
    on_private_album = await make_track(db, artist, duration_ms=10_000)
    album = await make_playlist(db, artist, [*on_album, hidden_on_album])
    private_album = await make_playlist(db, artist, [on_private_album], sharing="private")
    async with db.write() as uow:
        for playlist_id in (album, private_album):
            await uow.playlists.update(playlist_id, {"set_type": "album"})
    playlists = services.playlists

    seen = await playlists.album(viewer(fan), AlbumRef(album), ALL)
    assert [t.id for t in seen.tracks] == on_album  # type: ignore[union-attr]
    assert (seen.track_count, seen.duration_ms) == (2, 120_000)
    singles = await playlists.album(viewer(fan), AlbumRef(artist, singles=True), ALL)
    # the track on a private album is a single for whoever cannot see that album
    assert [t.id for t in singles.tracks] == [on_private_album, single]  # type: ignore[union-attr]
    assert (singles.track_count, singles.duration_ms) == (2, 40_000)
    with pytest.raises(NotFound):
        await playlists.album(viewer(fan), AlbumRef(private_album), ALL)

    mine = await playlists.album(viewer(artist), AlbumRef(artist, singles=True), FieldMask(["id"]))
    assert [t.id for t in mine.tracks] == [private_single, single]  # type: ignore[union-attr]

    summaries = await playlists.album_summaries(
        viewer(fan), [AlbumRef(artist, singles=True), AlbumRef(album), AlbumRef(private_album)]
    )
    assert [(a.ref, a.track_count, a.duration_ms) for a in summaries] == [
        (AlbumRef(artist, singles=True), 2, 40_000),
        (AlbumRef(album), 2, 120_000),
    ]
    assert [a.ref for a in await playlists.albums_of_artist(viewer(fan), artist)] == [
        AlbumRef(album),
        AlbumRef(artist, singles=True),
    ]
    tracks = await services.tracks.get_many(viewer(fan), [*on_album, single], FieldMask(["id"]))
    refs = await playlists.album_refs_of_tracks(viewer(fan), tracks)
    assert refs == {
        on_album[0]: AlbumRef(album),
        on_album[1]: AlbumRef(album),
        single: AlbumRef(artist, singles=True),
    }
    nobody = await make_user(db)
    with pytest.raises(NotFound):
        await playlists.album(viewer(fan), AlbumRef(nobody, singles=True), ALL)


async def test_alphabetical_and_liked_albums(services: Services) -> None:
    db = services.deps.db
    artist, fan = await make_user(db), await make_user(db)
    track = await make_track(db, artist)
    ids = [await make_playlist(db, artist, [track]) for _ in range(3)]
    hidden = await make_playlist(db, artist, [track], sharing="private")
    async with db.write() as uow:
        for playlist_id, title in zip([*ids, hidden], ["b", "a", "c", "0"], strict=True):
            await uow.playlists.update(playlist_id, {"set_type": "album", "title": title})
    playlists = services.playlists
    first = await playlists.albums_by_title(viewer(fan), None, 2)
    rest = await playlists.albums_by_title(viewer(fan), first.next_cursor, 2)
    assert [a.title for a in first.items + rest.items] == ["a", "b", "c"]
    assert rest.next_cursor is None
    await services.playlists.like(viewer(fan), ids[2])
    await services.playlists.like(viewer(fan), ids[0])
    liked = await playlists.liked_albums(viewer(fan), None, 10)
    assert [a.ref.id for a in liked.items] == [ids[0], ids[2]]
    at = await services.playlists.liked_at(viewer(fan), [ids[0], ids[1]])
    assert set(at) == {ids[0]}


async def test_artists_genres_samples_and_most_played(services: Services) -> None:
    db = services.deps.db
    public_artist, hidden_artist, fan = (
        await make_user(db),
        await make_user(db),
        await make_user(db),
    )
    kept = await make_track(db, public_artist, genre="Techno", release_date=dt.date(1999, 5, 1))
    newer = await make_track(db, public_artist, genre="House")
    await make_track(db, hidden_artist, genre="Secret", sharing="private")
    await make_track(db, hidden_artist, genre="Secret", taken_down=True)
    tracks = services.tracks

    page = await tracks.artist_ids(viewer(fan), None, 50)
    assert page.items == [public_artist]
    assert await tracks.artist_ids(viewer(hidden_artist), None, 50) != page
    among = await tracks.artists_among(viewer(fan), [hidden_artist, public_artist])
    assert among == [public_artist]
    genres = {g.name: g.tracks for g in await tracks.genres(viewer(fan))}
    assert genres == {"Techno": 1, "House": 1}
    assert "Secret" in {g.name for g in await tracks.genres(viewer(hidden_artist))}

    sample = await tracks.random(viewer(fan), FieldMask(["id"]), 10)
    assert sorted(t.id for t in sample) == sorted([kept, newer])
    nineties = await tracks.random(
        viewer(fan), FieldMask(["id"]), 10, TrackQuery(year_from=1990, year_to=1999)
    )
    assert [t.id for t in nineties] == [kept]
    techno = await tracks.random(viewer(fan), FieldMask(["id"]), 10, TrackQuery(genres=("techno",)))
    assert [t.id for t in techno] == [kept]
    with pytest.raises(InvalidArgument):
        await tracks.random(viewer(fan), FieldMask(["id"]), 501)
    with pytest.raises(InvalidArgument):
        await tracks.random(viewer(fan), FieldMask(["id"]), 5, TrackQuery(year_from=0))

    for _ in range(2):
        await tracks.record_play(viewer(fan), newer)
    await tracks.record_play(viewer(fan), kept)
    top = await tracks.most_played_of(viewer(fan), public_artist, FieldMask(["id"]), 10)
    assert [t.id for t in top] == [newer, kept]
    mine = await tracks.most_played_by(viewer(fan), FieldMask(["id"]), 10)
    assert [t.id for t in mine] == [newer, kept]
    assert await tracks.most_played_by(viewer(None), FieldMask(["id"]), 10) == []
    await tracks.like(viewer(fan), kept)
    assert set(await tracks.liked_at(viewer(fan), [kept, newer])) == {kept}
