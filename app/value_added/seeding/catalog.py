"""One catalog run: users, tracks (+ policies), playlists (+ entries), social edges, comments,
plays and web profiles in bulk, then every counter computed from the rows written."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator, Sequence
from functools import partial

from app.foundation.bulk import bulk_load
from app.foundation.unit_of_work import Database, UnitOfWork
from app.value_added.common.errors import InvalidArgument
from app.value_added.seeding.derive import Derived
from app.value_added.seeding.generate import Edge, Generator, Pools, Row, Tuple
from app.value_added.seeding.plan import Progress, SeedReport, SeedSizes
from app.value_added.seeding.tally import FIELDS, KEYS, Tally
from app.value_added.seeding.writer import BulkWriter, Insert

EDGE_TALLIES = {
    # label: (social table, target kind, target counter, user counter)
    "track_likes": ("track_likes", "tracks", "likes", "likes"),
    "track_reposts": ("track_reposts", "tracks", "reposts", "reposts"),
    "playlist_likes": ("playlist_likes", "playlists", "likes", "playlist_likes"),
    "follows": ("follows", "users", "followers", "followings"),
}


class CatalogRun:
    """Seeds `sizes` after the existing rows (explicit ids from max_id()+1)."""

    def __init__(
        self,
        db: Database,
        derived: Derived,
        now: dt.datetime,
        seed: int,
        *,
        batch_size: int = 5_000,
        progress: Progress | None = None,
        track_ms: int | None = None,
    ) -> None:
        self._db = db
        self._now = now
        self._tally = Tally()
        self._gen = Generator(seed, derived, now, self._tally, batch_size, track_ms)
        self._progress = progress
        self._writer = BulkWriter(db, progress)

    async def run(
        self,
        sizes: SeedSizes,
        names: Sequence[str] = (),
        password_hash: str | None = None,
        creators_from: int = 0,
        web_profiles: bool = False,
    ) -> tuple[SeedReport, list[int]]:
        """Write the catalog; returns the report and the new user ids (in creation order)."""
        started = time.perf_counter()
        outer = self._db
        async with bulk_load(outer) as bulk:  # one bulk-load session for the whole run
            self._db, self._writer = bulk, BulkWriter(bulk, self._progress)
            try:
                new = await self._write(sizes, names, password_hash, creators_from, web_profiles)
            finally:
                self._db = outer
        report = SeedReport(rows=dict(self._writer.rows), seconds=time.perf_counter() - started)
        return report, list(new["users"])

    async def _write(
        self,
        sizes: SeedSizes,
        names: Sequence[str],
        password_hash: str | None,
        creators_from: int,
        web_profiles: bool,
    ) -> dict[str, range]:
        async with self._db.read() as uow:
            first_user = await uow.users.max_id() + 1
            first_track = await uow.tracks.max_id() + 1
            first_playlist = await uow.playlists.max_id() + 1
        new = {
            "users": range(first_user, first_user + sizes.users),
            "tracks": range(first_track, first_track + sizes.tracks),
            "playlists": range(first_playlist, first_playlist + sizes.playlists),
        }
        gen, write = self._gen, self._writer.write
        rows = gen.users(new["users"], names, password_hash)
        await write("users", sizes.users, rows, _users)
        pools = await self._pools(new)
        if web_profiles:
            people = list(zip(new["users"], names, strict=False))
            await write("web_profiles", 2 * len(people), gen.web_profiles(people), _profiles)
        if sizes.tracks:
            made: list[tuple[int, int, int]] = []
            creators = pools.users[creators_from:] or pools.users
            tracks = gen.tracks(new["tracks"], _creators(creators), made)
            await write("tracks+policies", 2 * sizes.tracks, tracks, _tracks)
            pools = Pools(pools.users, made)
        if sizes.playlists:
            _require(pools.tracks, "playlists need tracks")
            playlists = gen.playlists(new["playlists"], pools)
            await write("playlists+entries", sizes.playlists * 11, playlists, _playlists)
        pools.playlists = list(new["playlists"]) or await self._playlist_ids()
        await self._edges(sizes, pools, new)
        if sizes.comments:
            _require(pools.visible, "comments need tracks")
            await write("comments", sizes.comments, gen.comments(sizes.comments, pools), _comments)
        if sizes.plays:
            _require(pools.visible, "plays need tracks")
            await write("plays", sizes.plays, gen.plays(sizes.plays, pools), _plays)
        await self._counters(new)
        return new

    async def _pools(self, new: dict[str, range]) -> Pools:
        async with self._db.read() as uow:
            users = list(new["users"]) or await uow.users.all_ids()
            tracks = [] if new["tracks"] else await uow.tracks.owners_and_durations()
        return Pools(users, tracks)

    async def _playlist_ids(self) -> list[int]:
        async with self._db.read() as uow:
            return await uow.playlists.all_ids()

    async def _edges(self, sizes: SeedSizes, pools: Pools, new: dict[str, range]) -> None:
        """Likes, reposts and follows; each needs new users or new targets in this run, so no
        edge can collide with one written before."""
        wanted = {
            "track_likes": (sizes.likes, pools.visible),
            "track_reposts": (sizes.reposts, pools.visible),
            "playlist_likes": (sizes.playlist_likes, pools.playlists),
            "follows": (sizes.follows, pools.users),
        }
        for label, (n, targets) in wanted.items():
            if not n:
                continue
            _require(pools.users, f"{label} need users")
            _require(targets, f"{label} need targets")
            target_kind = EDGE_TALLIES[label][1]
            if not new["users"] and not new[target_kind]:
                raise InvalidArgument(
                    f"{label} need new users or new {target_kind} in the same run"
                )
            pairs = self._gen.edges(n, pools.users, targets, distinct=label == "follows")
            edges = self._tallied(label, pairs)
            await self._writer.write(label, n, edges, _edge_insert(EDGE_TALLIES[label][0]))

    def _tallied(self, label: str, batches: Iterator[list[Edge]]) -> Iterator[list[Edge]]:
        _, kind, target_field, user_field = EDGE_TALLIES[label]
        for batch in batches:
            self._tally.add_ids(kind, target_field, (edge[1] for edge in batch))
            self._tally.add_ids("users", user_field, (edge[0] for edge in batch))
            yield batch

    async def _counters(self, new: dict[str, range]) -> None:
        touched: dict[str, list[int]] = {}
        for kind in ("users", "tracks", "playlists"):
            rows = self._tally.new_rows(kind, new[kind])
            size = self._gen.batch
            batches = (rows[i : i + size] for i in range(0, len(rows), size))
            await self._writer.write(
                f"{kind[:-1]}_counters", len(rows), batches, _counter_rows(kind)
            )
            deltas = self._tally.existing_deltas(kind, new[kind])
            if deltas:
                await self._db.transact(partial(_add_counts, kind=kind, deltas=deltas))
            touched[kind] = list(deltas)

        async def recount(uow: UnitOfWork) -> None:  # the counts per visibility class, exactly
            await uow.counters.recount(self._now)
            uow.counters.users.forget(touched["users"])
            uow.counters.playlists.forget(touched["playlists"])

        await self._db.transact(recount)


async def _add_counts(uow: UnitOfWork, kind: str, deltas: dict[int, dict[str, int]]) -> None:
    await getattr(uow.counters, kind).add_many(deltas)


def _creators(users: Sequence[int]) -> list[int]:
    """About a fifth of the users upload (at least one)."""
    return list(users[: max(1, len(users) // 5)])


def _require(items: Sequence[int], message: str) -> None:
    if not items:
        raise InvalidArgument(f"nothing to relate to: {message}")


async def _users(uow: UnitOfWork, rows: list[Tuple]) -> int:
    await uow.users.load_many(rows)
    return len(rows)


async def _profiles(uow: UnitOfWork, rows: list[Row]) -> int:
    await uow.users.add_web_profiles(rows)
    return len(rows)


async def _tracks(uow: UnitOfWork, batch: tuple[list[Tuple], list[Tuple]]) -> int:
    tracks, policies = batch
    await uow.tracks.load_many(tracks)
    await uow.policies.load_many(policies)
    return len(tracks) + len(policies)


async def _playlists(uow: UnitOfWork, batch: tuple[list[Tuple], list[Tuple]]) -> int:
    playlists, entries = batch
    await uow.playlists.load_many(playlists)
    await uow.playlists.load_entries(entries)
    return len(playlists) + len(entries)


async def _comments(uow: UnitOfWork, rows: list[Tuple]) -> int:
    await uow.social.load_comments(rows)
    return len(rows)


async def _plays(uow: UnitOfWork, rows: list[Tuple]) -> int:
    await uow.plays.load_plays(rows)
    return len(rows)


def _edge_insert(table: str) -> Insert[list[Edge]]:
    async def insert(uow: UnitOfWork, edges: list[Edge]) -> int:
        await getattr(uow.social, table).load_many(edges)
        return len(edges)

    return insert


def _counter_rows(kind: str) -> Insert[list[tuple[int, ...]]]:
    assert kind in KEYS

    async def insert(uow: UnitOfWork, rows: list[tuple[int, ...]]) -> int:
        await getattr(uow.counters, kind).load_many(FIELDS[kind], rows)
        return len(rows)

    return insert
