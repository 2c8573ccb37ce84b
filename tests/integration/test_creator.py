"""Creator gateway on real databases: validation, permalinks, authorization, deletion, insights."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import msgspec
import pytest

from app.foundation.db import create_engine
from app.foundation.unit_of_work import Database
from app.foundation.users.records import NewUser
from app.value_added.access import Viewer
from app.value_added.catalog import CatalogService
from app.value_added.common.deps import Deps
from app.value_added.common.errors import InvalidArgument, NotFound, PermissionDenied
from app.value_added.creator import (
    CreatorService,
    PlaylistChanges,
    PlaylistDraft,
    TrackChanges,
    TrackDraft,
)
from tests.factories import tampered


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(create_engine(database_url))
    yield database
    await database.dispose()


@pytest.fixture
def creator(db: Database) -> CreatorService:
    deps = Deps.build(db, "test-secret-key-123456")
    return CreatorService(deps, CatalogService(deps))


async def make_users(db: Database, *names: str) -> list[int]:
    async with db.write() as uow:
        return [(await uow.users.create(NewUser(username=n, permalink=n))).id for n in names]


def as_user(user_id: int, territory: str | None = "DE") -> Viewer:
    return Viewer(user_id=user_id, app_id=1, territory=territory, plan="free")


def partner(*managed: int) -> Viewer:
    return Viewer(
        user_id=None, app_id=99, territory=None, plan="free", managed_user_ids=frozenset(managed)
    )


async def user_counts(db: Database, user_id: int) -> Any:
    async with db.read() as uow:
        return (await uow.counters.user_counts([user_id]))[0]


async def test_create_track_with_valid_fields(db: Database, creator: CreatorService) -> None:
    (ana,) = await make_users(db, "ana")
    release = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    draft = TrackDraft(
        title="  Déjà Vu!  ",
        genre="House",
        duration_ms=180_000,
        bpm=124,
        isrc="USRC17607839",
        license="cc-by-nc",
        purchase_url="https://shop.example/x",
        release_date=dt.date(2024, 5, 1),
        sharing="private",
        release_at=release,
        territories=["de", "FR", "DE"],
        downloadable=True,
        monetization="premium",
    )
    track = await creator.create_track(as_user(ana), ana, draft)
    assert track.title == "Déjà Vu!"
    assert track.permalink == "deja-vu"
    assert track.user_id == ana and track.bpm == 124.0 and track.isrc == "USRC17607839"
    assert track.sharing == "private" and track.release_at == release
    assert track.territories == ["DE", "FR"]
    assert track.downloadable and track.monetization == "premium" and not track.taken_down
    assert track.secret_token and len(track.secret_token) <= 32
    async with db.read() as uow:
        assert (await uow.counters.track_counts([track.id]))[0].plays == 0
        assert (await uow.policies.get(track.id)) is not None
    assert (await user_counts(db, ana)).tracks == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", ""),
        ("title", "x" * 256),
        ("duration_ms", -1),
        ("bpm", 0),
        ("bpm", 1000),
        ("isrc", "US-RC1-76-07839"),
        ("license", "cc-0"),
        ("purchase_url", "ftp://shop.example"),
        ("purchase_url", "javascript:alert(1)"),
        ("purchase_url", "http://["),  # urlsplit raises: a 400, never a 500
        ("purchase_url", "http://a\u2100b"),
        ("isrc", "USRC1760783\u0669"),  # an Arabic-Indic digit is no ISRC digit
        ("sharing", "unlisted"),
        ("territories", ["XX"]),
        ("territories", ["DEU"]),
        ("monetization", "blackbox"),
        ("release_at", dt.datetime(2030, 1, 1)),
        ("genre", "g" * 101),
    ],
)
async def test_create_track_rejects_each_invalid_field(
    db: Database, creator: CreatorService, field: str, value: Any
) -> None:
    (ana,) = await make_users(db, "ana")
    fields: dict[str, Any] = {"title": "ok", field: value}
    with pytest.raises(InvalidArgument) as caught:
        await creator.create_track(as_user(ana), ana, TrackDraft(**fields))
    assert caught.value.field == field
    assert field in caught.value.message
    assert (await user_counts(db, ana)).tracks == 0


async def test_permalinks_are_unique_per_user(db: Database, creator: CreatorService) -> None:
    ana, bob = await make_users(db, "ana", "bob")
    links = [
        (await creator.create_track(as_user(ana), ana, TrackDraft(title="Intro"))).permalink
        for _ in range(3)
    ]
    assert links == ["intro", "intro-2", "intro-3"]
    other = await creator.create_track(as_user(bob), bob, TrackDraft(title="Intro"))
    assert other.permalink == "intro"
    assert (await user_counts(db, ana)).tracks == 3


async def test_only_owner_or_granted_partner_may_act(db: Database, creator: CreatorService) -> None:
    ana, bob = await make_users(db, "ana", "bob")
    with pytest.raises(PermissionDenied):
        await creator.create_track(as_user(bob), ana, TrackDraft(title="t"))
    with pytest.raises(PermissionDenied):
        await creator.create_track(partner(bob), ana, TrackDraft(title="t"))
    with pytest.raises(PermissionDenied):
        await creator.create_track(Viewer.anonymous(app_id=99), ana, TrackDraft(title="t"))
    track = await creator.create_track(partner(ana), ana, TrackDraft(title="by label"))
    assert track.user_id == ana
    public = await creator.create_track(as_user(ana), ana, TrackDraft(title="public"))
    with pytest.raises(PermissionDenied):
        await creator.update_track(as_user(bob), public.id, TrackChanges(title="mine"))
    with pytest.raises(PermissionDenied):
        await creator.update_track(partner(bob), public.id, TrackChanges(title="mine"))
    changed = await creator.update_track(partner(ana), public.id, TrackChanges(genre="Jazz"))
    assert changed.genre == "Jazz" and changed.title == "public"
    with pytest.raises(PermissionDenied):
        await creator.my_tracks(as_user(bob), ana)


async def test_invisible_or_missing_track_is_not_found(
    db: Database, creator: CreatorService
) -> None:
    ana, bob = await make_users(db, "ana", "bob")
    private = await creator.create_track(
        as_user(ana), ana, TrackDraft(title="p", sharing="private")
    )
    future = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    unreleased = await creator.create_track(
        as_user(ana), ana, TrackDraft(title="u", release_at=future)
    )
    for track_id in (private.id, unreleased.id, 999_999):
        with pytest.raises(NotFound) as missing:
            await creator.update_track(as_user(bob), track_id, TrackChanges(title="x"))
        assert missing.value.message == "track not found"
        with pytest.raises(NotFound):
            await creator.delete_track(partner(bob), track_id)


async def test_update_validates_and_keeps_unset_fields(
    db: Database, creator: CreatorService
) -> None:
    (ana,) = await make_users(db, "ana")
    track = await creator.create_track(
        as_user(ana), ana, TrackDraft(title="t", bpm=120, territories=["DE"])
    )
    with pytest.raises(InvalidArgument) as bad:
        await creator.update_track(as_user(ana), track.id, TrackChanges(isrc="nope"))
    assert bad.value.field == "isrc"
    with pytest.raises(InvalidArgument) as bad:
        await creator.update_track(as_user(ana), track.id, TrackChanges(title=" "))
    assert bad.value.field == "title"
    updated = await creator.update_track(
        as_user(ana), track.id, TrackChanges(bpm=None, territories=None, sharing="private")
    )
    assert updated.bpm is None and updated.territories is None and updated.sharing == "private"
    assert updated.title == "t" and updated.permalink == track.permalink
    assert updated.secret_token == track.secret_token


async def test_delete_cleans_playlists_and_counters(db: Database, creator: CreatorService) -> None:
    ana, bob, cid = await make_users(db, "ana", "bob", "cid")
    doomed = await creator.create_track(as_user(ana), ana, TrackDraft(title="d", duration_ms=1000))
    kept = await creator.create_track(as_user(ana), ana, TrackDraft(title="k", duration_ms=500))
    mix = await creator.create_playlist(as_user(bob), bob, PlaylistDraft(title="Mix"))
    async with db.write() as uow:
        await uow.playlists.append(mix.id, [doomed.id, kept.id, doomed.id], after=0)
        await uow.counters.playlists.add(mix.id, tracks=3, duration_ms=2500)
        for user_id in (bob, cid):
            await uow.social.track_likes.add(user_id, doomed.id)
            await uow.counters.users.add(user_id, likes=1)
        await uow.social.track_likes.add(bob, kept.id)
        await uow.counters.users.add(bob, likes=1)
        await uow.social.track_reposts.add(cid, doomed.id)
        await uow.counters.users.add(cid, reposts=1)
        media = await uow.media.create(doomed.id, {"original_key": "originals/d.wav"})
        await uow.media.add_transcoding(
            media.id, {"kind": "mp3", "storage_key": "streams/d.mp3", "content_type": "audio/mpeg"}
        )
        for _ in range(2):
            await uow.social.add_comment(doomed.id, bob, "nice", None)
            await uow.counters.users.add(bob, comments=1)
    keys = await creator.delete_track(as_user(ana), doomed.id)
    assert sorted(keys) == ["originals/d.wav", "streams/d.mp3"]
    async with db.read() as uow:
        assert await uow.tracks.get(doomed.id) is None
        assert [e.track_id for e in await uow.playlists.entries_of([mix.id])] == [kept.id]
        counts = (await uow.counters.playlist_counts([mix.id]))[0]
        assert (counts.tracks, counts.duration_ms) == (1, 500)
        assert (await uow.playlists.get(mix.id)).version == mix.version + 1  # type: ignore[union-attr]
        b, c, a = await uow.counters.user_counts([bob, cid, ana])
    assert (b.likes, b.comments) == (1, 0)
    assert (c.likes, c.reposts) == (0, 0)
    assert a.tracks == 1
    with pytest.raises(NotFound):
        await creator.delete_track(as_user(ana), doomed.id)


async def test_my_tracks_lists_private_with_tokens_and_paginates(
    db: Database, creator: CreatorService
) -> None:
    ana, bob = await make_users(db, "ana", "bob")
    made = [
        await creator.create_track(
            as_user(ana), ana, TrackDraft(title=f"t{i}", sharing="private" if i % 2 else "public")
        )
        for i in range(5)
    ]
    await creator.create_track(as_user(bob), bob, TrackDraft(title="other"))
    async with db.write() as uow:
        await uow.policies.update(made[0].id, {"taken_down_at": dt.datetime.now(dt.UTC)})
    seen: list[int] = []
    cursor: str | None = None
    pages = 0
    while True:
        page = await creator.my_tracks(partner(ana), ana, cursor, 2)
        pages += 1
        seen.extend(t.id for t in page.items)
        assert all(t.secret_token for t in page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert pages == 3
    assert seen == [t.id for t in reversed(made)]
    first = (await creator.my_tracks(as_user(ana), ana, None, 2)).next_cursor
    assert first is not None
    with pytest.raises(InvalidArgument) as bad:
        await creator.my_tracks(as_user(ana), ana, tampered(first))
    assert bad.value.field == "cursor"
    with pytest.raises(InvalidArgument):
        await creator.my_tracks(as_user(bob), bob, first)
    with pytest.raises(InvalidArgument) as bad:
        await creator.my_tracks(as_user(ana), ana, None, 500)
    assert bad.value.field == "limit"
    everything = await creator.my_tracks(as_user(ana), ana)
    assert {t.sharing for t in everything.items} == {"public", "private"}
    assert [t.taken_down for t in everything.items][-1] is True


async def test_playlists_create_update_delete(db: Database, creator: CreatorService) -> None:
    ana, bob = await make_users(db, "ana", "bob")
    album = await creator.create_playlist(
        partner(ana),
        ana,
        PlaylistDraft(title="LP", set_type="album", release_date=dt.date(2024, 1, 2)),
    )
    again = await creator.create_playlist(as_user(ana), ana, PlaylistDraft(title="LP"))
    assert (album.set_type, album.permalink, again.permalink) == ("album", "lp", "lp-2")
    assert (await user_counts(db, ana)).playlists == 2
    with pytest.raises(InvalidArgument) as bad:
        await creator.create_playlist(as_user(ana), ana, PlaylistDraft(title="x", set_type="box"))
    assert bad.value.field == "set_type"
    with pytest.raises(PermissionDenied):
        await creator.update_playlist(as_user(bob), album.id, PlaylistChanges(title="mine"))
    hidden = await creator.create_playlist(
        as_user(ana), ana, PlaylistDraft(title="h", sharing="private")
    )
    with pytest.raises(NotFound):
        await creator.update_playlist(as_user(bob), hidden.id, PlaylistChanges(title="x"))
    renamed = await creator.update_playlist(as_user(ana), album.id, PlaylistChanges(title="LP 2"))
    assert renamed.title == "LP 2" and renamed.set_type == "album"
    assert renamed.version == album.version + 1
    async with db.write() as uow:
        await uow.social.playlist_likes.add(bob, album.id)
        await uow.counters.users.add(bob, playlist_likes=1)
    await creator.delete_playlist(as_user(ana), album.id)
    assert (await user_counts(db, ana)).playlists == 2
    assert (await user_counts(db, bob)).playlist_likes == 0
    with pytest.raises(NotFound):
        await creator.delete_playlist(as_user(ana), album.id)


async def test_insights_per_day_per_territory(db: Database, creator: CreatorService) -> None:
    ana, bob = await make_users(db, "ana", "bob")
    one = await creator.create_track(as_user(ana), ana, TrackDraft(title="one"))
    two = await creator.create_track(as_user(ana), ana, TrackDraft(title="two"))
    theirs = await creator.create_track(as_user(bob), bob, TrackDraft(title="x"))
    today = dt.datetime.now(dt.UTC).date()
    yesterday = today - dt.timedelta(days=1)

    def at(day: dt.date, hour: int) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour), dt.UTC)

    plays = [
        (one.id, "DE", at(yesterday, 0)),
        (one.id, "DE", at(yesterday, 23)),
        (one.id, "FR", at(yesterday, 12)),
        (one.id, "DE", at(today, 1)),
        (two.id, None, at(today, 2)),
        (one.id, "DE", at(yesterday - dt.timedelta(days=1), 23)),
        (theirs.id, "DE", at(today, 3)),
    ]
    async with db.write() as uow:
        await uow.plays.add_plays(
            [{"track_id": t, "territory": c, "played_at": p} for t, c, p in plays]
        )
        await uow.plays.record_download(one.id, bob, None, "FR")
        await uow.social.track_likes.add(bob, one.id)
        await uow.social.track_reposts.add(bob, one.id)
    result = await creator.insights(as_user(ana), ana, yesterday, today)
    rows = [
        (r.track_id, r.day, r.territory, r.plays, r.likes, r.reposts, r.downloads)
        for r in result.rows
    ]
    assert rows == [
        (one.id, yesterday, "DE", 2, 0, 0, 0),
        (one.id, yesterday, "FR", 1, 0, 0, 0),
        (one.id, today, None, 0, 1, 1, 0),
        (one.id, today, "DE", 1, 0, 0, 0),
        (one.id, today, "FR", 0, 0, 0, 1),
        (two.id, today, None, 1, 0, 0, 0),
    ]
    assert (result.totals.plays, result.totals.likes, result.totals.downloads) == (5, 1, 1)
    only_two = await creator.insights(partner(ana), ana, yesterday, today, [two.id])
    assert [r.track_id for r in only_two.rows] == [two.id]
    with pytest.raises(NotFound):
        await creator.insights(as_user(ana), ana, yesterday, today, [theirs.id])
    with pytest.raises(InvalidArgument):
        await creator.insights(as_user(ana), ana, today, yesterday)
    with pytest.raises(InvalidArgument):
        await creator.insights(as_user(ana), ana, today - dt.timedelta(days=366), today)
    assert (await creator.insights(as_user(ana), ana, today - dt.timedelta(days=365), today)).rows
    with pytest.raises(PermissionDenied):
        await creator.insights(as_user(bob), ana, yesterday, today)
    assert msgspec.json.decode(msgspec.json.encode(result), type=type(result)) == result
