"""Fake plays and counters repositories: play/download events and counts with zero defaults."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

import msgspec

from app.foundation.counters.records import PlaylistCounts, Release, TrackCounts, UserCounts
from app.foundation.plays.records import PlayRecord
from app.foundation.query import Key, Page
from tests.unit.fakes.state import Repo, State, keyset_page, next_id

C = TypeVar("C", TrackCounts, PlaylistCounts, UserCounts)


class FakePlays(Repo):
    async def record_play(
        self, track_id: int, user_id: int | None, app_id: int | None, territory: str | None
    ) -> None:
        pid = next_id(self._s.plays)
        self._s.plays[pid] = PlayRecord(pid, track_id, user_id, app_id, territory, self._now())

    async def record_download(
        self,
        track_id: int,
        user_id: int | None,
        app_id: int | None,
        territory: str | None,
        grant_digest: str | None = None,
    ) -> bool:
        if grant_digest is not None:
            if grant_digest in self._s.redeemed_grants:
                return False
            self._s.redeemed_grants[grant_digest] = track_id
        did = next_id(self._s.downloads)
        self._s.downloads[did] = PlayRecord(did, track_id, user_id, app_id, territory, self._now())
        return True

    async def history(self, user_id: int, after: Key | None, limit: int) -> Page[PlayRecord]:
        found = [p for p in self._s.plays.values() if p.user_id == user_id]
        return keyset_page(found, PlayRecord, ("played_at", "id"), after, limit)

    # seeding
    async def add_plays(self, rows: Sequence[dict[str, Any]]) -> None:
        for row in rows:
            self._s.plays[row["id"]] = PlayRecord(**row)


class FakeCounters(Generic[C]):
    """Counts of one entity kind: rows created on first increment, zeros when absent."""

    def __init__(self, table: dict[int, C], record: type[C], key: str) -> None:
        self._table = table
        self._record = record
        self._key = key
        self.scheduled: dict[int, set[int]] = {}
        """track id -> entities with releases it schedules."""

    async def get_many(self, ids: Sequence[int]) -> list[C]:
        """One per requested id, in request order (duplicates kept), zeros when absent."""
        return [self._table.get(i) or self._record(**{self._key: i}) for i in ids]

    async def ensure(self, entity_id: int) -> None:
        self._table.setdefault(entity_id, self._record(**{self._key: entity_id}))

    async def add(self, entity_id: int, **deltas: int) -> C:
        """Add the deltas and return the new counts (as the real UPDATE … RETURNING does)."""
        current = self._table.get(entity_id) or self._record(**{self._key: entity_id})
        bumped = {name: getattr(current, name) + delta for name, delta in deltas.items() if delta}
        if bumped:
            current = msgspec.structs.replace(current, **bumped)
            self._table[entity_id] = current
        return current

    async def add_many(self, deltas: Mapping[int, Mapping[str, int]]) -> None:
        """Add per-entity deltas to existing rows (absent rows are skipped, as the real one)."""
        for entity_id, changes in deltas.items():
            if entity_id in self._table:
                await self.add(entity_id, **changes)

    async def schedule(
        self, track_id: int, release_at: dt.datetime, deltas: Mapping[int, Mapping[str, int]]
    ) -> None:
        """Releases kept beside the rows (the real one loads them with the counts)."""
        for entity_id, changes in deltas.items():
            for name, n in changes.items():
                if not n:
                    continue
                current = self._table.get(entity_id) or self._record(**{self._key: entity_id})
                release = Release(release_at, name, n)
                scheduled = (*getattr(current, "releases", ()), release)
                self._table[entity_id] = msgspec.structs.replace(current, releases=scheduled)
                self.scheduled.setdefault(track_id, set()).add(entity_id)

    async def drop_releases_of(self, entity_id: int) -> None:
        current = self._table.get(entity_id)
        if current is not None and getattr(current, "releases", ()):
            self._table[entity_id] = msgspec.structs.replace(current, releases=())


class FakeCountersRepository:
    def __init__(self, state: State, clock: Callable[[], dt.datetime]) -> None:
        self.tracks = FakeCounters(state.track_counters, TrackCounts, "track_id")
        self.playlists = FakeCounters(state.playlist_counters, PlaylistCounts, "playlist_id")
        self.users = FakeCounters(state.user_counters, UserCounts, "user_id")

    async def track_counts(self, ids: Sequence[int]) -> list[TrackCounts]:
        return await self.tracks.get_many(ids)

    async def has_releases(self, track_id: int) -> bool:
        return bool(self.users.scheduled.get(track_id) or self.playlists.scheduled.get(track_id))

    async def drop_releases(self, track_id: int) -> None:
        """Forget the track's releases (the fake keeps one track's releases per entity at a
        time, enough for the unit tests' single scheduled tracks)."""
        for counters in (self.users, self.playlists):
            for entity_id in counters.scheduled.pop(track_id, set()):
                await counters.drop_releases_of(entity_id)

    async def playlist_counts(self, ids: Sequence[int]) -> list[PlaylistCounts]:
        return await self.playlists.get_many(ids)

    async def user_counts(self, ids: Sequence[int]) -> list[UserCounts]:
        return await self.users.get_many(ids)
