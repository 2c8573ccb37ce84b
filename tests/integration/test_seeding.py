"""The Seeding VAS: demo catalog contents, counters consistent with rows, idempotence."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from sqlalchemy import text

from app.foundation.bulk import bulk_load, deferred_indexes
from app.foundation.db import create_engine
from app.foundation.tables import metadata
from app.foundation.unit_of_work import Database
from app.value_added.access import Viewer
from app.value_added.common.fieldmask import FieldMask
from app.value_added.registry import build_services
from app.value_added.seeding import SeedingService, SeedSizes
from app.value_added.tracks import TrackQuery

SECRET = "seeding-test-secret-0123456789"
COUNTER_ROWS = {
    "track_counters.likes": "track_likes",
    "track_counters.reposts": "track_reposts",
    "track_counters.comments": "comments",
    "track_counters.plays": "plays",
    "playlist_counters.likes": "playlist_likes",
    "user_counters.followers": "follows",
    "user_counters.followings": "follows",
    "user_counters.likes": "track_likes",
    "user_counters.comments": "comments",
    "user_counters.tracks": "tracks",
    "user_counters.playlists": "playlists",
}
"""Counters equal to row counts. A playlist's `tracks` and a user's `playlist_likes` count
per visibility class (another's hidden track in a playlist, a like of another's private
playlist, count for nobody): tests/integration/test_counts_by_visibility.py checks those."""


async def _demo(url: str, secret: str = SECRET) -> tuple[object, object, dict[str, int]]:
    services = build_services(url, secret)
    try:
        seeding = SeedingService(services.deps, services.identity, secret)
        first = await seeding.seed_demo()
        totals = await seeding.totals()
        second = await seeding.seed_demo()
        assert await seeding.totals() == totals
        return first, second, totals
    finally:
        await services.close()


def _assert_consistent(totals: dict[str, int]) -> None:
    for counter, table in COUNTER_ROWS.items():
        assert totals[counter] == totals[table], (counter, table, totals)
    assert totals["user_counters.reposts"] == totals["track_reposts"] + totals["playlist_reposts"]


async def test_demo_catalog_on_every_backend(database_url: str) -> None:
    first, second, totals = await asyncio.to_thread(asyncio.run, _demo(database_url))
    assert first.created and not second.created  # type: ignore[attr-defined]
    assert first.credentials == second.credentials  # type: ignore[attr-defined]
    assert totals["users"] == 50 and totals["tracks"] == 500 and totals["playlists"] == 60
    assert totals["policies"] == totals["tracks"]
    for kind in ("private", "unreleased", "territory_restricted", "premium", "taken_down"):
        assert totals[kind] > 0, kind
    for table in ("track_likes", "track_reposts", "follows", "comments", "plays", "playlist_likes"):
        assert totals[table] > 0, table
    _assert_consistent(totals)


def test_demo_credentials_depend_on_the_secret_key(sqlite_url: str) -> None:
    first, _, _ = asyncio.run(_demo(sqlite_url))
    creds = first.credentials  # type: ignore[attr-defined]
    assert {a.bff for a in creds.apps} == {"mobile", "web", "public", "partner"}
    services = build_services(sqlite_url, "another-secret-key-abcdefgh")
    seeding = SeedingService(services.deps, services.identity, "another-secret-key-abcdefgh")
    try:
        import pytest

        from app.value_added.common.errors import NotFound

        with pytest.raises(NotFound):  # other SECRET_KEY: other client ids, not found
            asyncio.run(seeding.demo_credentials())
    finally:
        asyncio.run(services.close())


async def _through_services(url: str) -> None:
    services = build_services(url, SECRET)
    try:
        seeding = SeedingService(services.deps, services.identity, SECRET)
        creds = (await seeding.seed_demo()).credentials
        partner = next(a for a in creds.apps if a.bff == "partner")
        info = await services.identity.verify_client(partner.client_id, partner.client_secret)
        assert {"partner:catalog", "partner:insights"} <= info.entitlements
        listener = next(a for a in creds.accounts if a.username == "demo")
        assert await services.identity.authenticate("demo", creds.password) == listener.id
        # per track: the like counter the Tracks VAS shows equals the likers it lists
        viewer = Viewer(user_id=None, app_id=None, territory="DE", plan="premium")
        page = await services.tracks.search(
            viewer, TrackQuery(), FieldMask.parse("stats"), None, 20
        )
        assert page.items
        for track in page.items[:5]:
            likers = await services.tracks.likers(viewer, track.id, None, 200)
            assert track.stats.likes == len(likers.items)  # type: ignore[union-attr]
    finally:
        await services.close()


def test_demo_seen_through_services(sqlite_url: str) -> None:
    asyncio.run(_through_services(sqlite_url))


async def _synthetic(url: str) -> dict[str, int]:
    services = build_services(url, SECRET)
    try:
        seeding = SeedingService(services.deps, services.identity, SECRET, batch_size=500)
        sizes = SeedSizes(
            users=120, tracks=900, playlists=40, likes=3000, follows=500, comments=700, plays=2000
        )
        report = await seeding.seed_catalog(sizes, seed=7)
        assert report.total > 0 and report.rows_per_second > 0
        await seeding.seed_catalog(SeedSizes(users=10, likes=100, plays=50), seed=8)  # appended
        # explicit-id bulk loads must leave the id sequences past them (PostgreSQL)
        async with services.deps.db.read() as uow:
            last_seeded = await uow.users.max_id()
        after = await services.identity.create_user("after_seed", "long enough secret")
        assert after.id == last_seeded + 1
        async with services.deps.db.read() as uow:  # the 130 seeded users have the ids before
            assert await uow.users.get(last_seeded - 129) is not None
        if url.startswith("postgresql"):  # the recount planned with the bulk load's statistics
            async with services.deps.db.read() as uow:
                known = await uow.connection.execute(
                    text("SELECT reltuples FROM pg_class WHERE relname = 'track_likes'")
                )
                assert known.scalar_one() >= 3000
        totals = await seeding.totals()
        totals["users"] -= 1
        return totals
    finally:
        await services.close()


async def test_synthetic_catalog_counters_match_rows(database_url: str) -> None:
    totals = await asyncio.to_thread(asyncio.run, _synthetic(database_url))
    assert totals["users"] == 130 and totals["tracks"] == 900 and totals["playlists"] == 40
    assert totals["track_likes"] == 3100 and totals["plays"] == 2050
    _assert_consistent(totals)


def _schema(url: str) -> list[tuple[str, str]]:
    """Indexes and triggers of a SQLite database (what bulk loads drop and re-create)."""
    with sqlite3.connect(url.removeprefix("sqlite+aiosqlite:///")) as conn:
        rows = conn.execute(
            "SELECT type, name FROM sqlite_master WHERE type IN ('index', 'trigger') ORDER BY 2"
        )
        return list(rows)


def _search_consistent(url: str, word: str) -> int:
    """Tracks the full-text index finds for `word`, checked against a plain scan."""
    with sqlite3.connect(url.removeprefix("sqlite+aiosqlite:///")) as conn:
        conn.execute("INSERT INTO tracks_fts(tracks_fts) VALUES ('integrity-check')")
        (found,) = conn.execute(
            "SELECT count(*) FROM tracks_fts WHERE tracks_fts MATCH ?", (word,)
        ).fetchone()
        (scanned,) = conn.execute(
            "SELECT count(*) FROM tracks WHERE title LIKE ?1 OR tag_list LIKE ?1 "
            "OR genre LIKE ?1 OR description LIKE ?1",
            (f"%{word}%",),
        ).fetchone()
        assert found == scanned
        return int(found)


async def _two_runs(url: str) -> None:
    services = build_services(url, SECRET)
    try:
        seeding = SeedingService(services.deps, services.identity, SECRET, batch_size=300)
        await seeding.seed_catalog(SeedSizes(users=50, tracks=2000, likes=500), seed=1)
        # a small append to a big table keeps the indexes; new tracks are still searchable
        await seeding.seed_catalog(SeedSizes(users=5, tracks=40, plays=30), seed=2)
    finally:
        await services.close()


def test_bulk_loads_keep_indexes_triggers_and_search(sqlite_url: str) -> None:
    before = _schema(sqlite_url)
    asyncio.run(_two_runs(sqlite_url))
    assert _schema(sqlite_url) == before
    assert _search_consistent(sqlite_url, "midnight") > 0
    with sqlite3.connect(sqlite_url.removeprefix("sqlite+aiosqlite:///")) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stamp = conn.execute("SELECT created_at FROM tracks ORDER BY id DESC").fetchone()[0]
        assert len(stamp) == len("2026-01-01 00:00:00.000000")  # SQLAlchemy's format


async def _failing_load(url: str) -> int:
    db = Database(create_engine(url))
    try:
        async with bulk_load(db) as bulk:
            with pytest.raises(RuntimeError):
                async with bulk.write() as uow, deferred_indexes(uow, 1000):
                    user = (1, "u1", "u1", "", "", "", "", None, "free", None, None, "", "")
                    await uow.users.load_many([(*user, 1_700_000_000, 1_700_000_000)])
                    track = (1, 1, "Paper Tide", "paper-tide-1", "", "", "", 1000, None, "")
                    extra = (None, "all-rights-reserved", "", "", "", 1_700_000_000, None)
                    await uow.tracks.load_many([(*track, *extra, 1_700_000_000, 1_700_000_000)])
                    deferred = await (await uow.raw_connection()).exec_driver_sql(
                        "SELECT count(*) FROM sqlite_master WHERE tbl_name = 'tracks' AND "
                        "(name = 'tracks_fts_ai' OR (type = 'index' AND sql IS NOT NULL))"
                    )
                    assert deferred.scalar() == 0  # dropped inside the transaction
                    raise RuntimeError("boom")
        async with db.read() as uow:
            return await uow.tracks.count() + await uow.users.count()
    finally:
        await db.dispose()


def test_failed_bulk_load_rolls_back_rows_and_schema_changes(sqlite_url: str) -> None:
    before = _schema(sqlite_url)
    assert asyncio.run(_failing_load(sqlite_url)) == 0
    assert _schema(sqlite_url) == before


@pytest.mark.parametrize(
    ("module", "table", "columns"),
    [
        ("app.foundation.users.repository", "users", "USER_LOAD_COLUMNS"),
        ("app.foundation.tracks.repository", "tracks", "TRACK_LOAD_COLUMNS"),
        ("app.foundation.policies.repository", "track_policies", "POLICY_LOAD_COLUMNS"),
        ("app.foundation.playlists.repository", "playlists", "PLAYLIST_LOAD_COLUMNS"),
        ("app.foundation.playlists.repository", "playlist_entries", "ENTRY_LOAD_COLUMNS"),
        ("app.foundation.plays.repository", "plays", "PLAY_LOAD_COLUMNS"),
        ("app.foundation.social.repository", "comments", "COMMENT_LOAD_COLUMNS"),
    ],
)
def test_load_columns_cover_every_column(module: str, table: str, columns: str) -> None:
    """Tuple loads skip column defaults, so they must name every column but generated ids."""
    import importlib

    names = getattr(importlib.import_module(module), columns)
    generated = {"id"} if table in {"playlist_entries", "plays", "comments"} else set()
    assert set(names) == {c.name for c in metadata.tables[table].columns} - generated
    assert len(set(names)) == len(names)


def test_tallied_fields_follow_the_counter_tables_columns() -> None:
    """Every tallied field is a column; the others (per visibility class) come from the
    recount that ends a seeding run."""
    from app.value_added.seeding.tally import FIELDS, KEYS

    for kind, fields in FIELDS.items():
        columns = [c.name for c in metadata.tables[f"{kind[:-1]}_counters"].columns]
        assert columns[: len(fields) + 1] == [KEYS[kind], *fields]
