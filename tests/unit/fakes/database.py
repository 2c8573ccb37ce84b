"""The fake Database: read()/write() hand out units of work over an in-memory snapshot.

A unit of work works on a copy of the committed state; leaving `async with` normally commits
the copy, an exception discards it (rollback). Writers are serialized (as SQLite's
BEGIN IMMEDIATE does), so two concurrent commands cannot lose each other's updates.
Every repository call is counted in `db.calls` (e.g. ``db.calls["counters.track_counts"]``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from collections.abc import Callable, Coroutine
from types import TracebackType
from typing import Any, Self, TypeVar

from app.foundation.row_locks import RowLocks
from tests.unit.fakes.activity import FakeCountersRepository, FakePlays
from tests.unit.fakes.catalog import FakeCatalog, FakeMedia, FakePolicies, FakeTracks, FakeUsers
from tests.unit.fakes.playlists import FakePlaylists
from tests.unit.fakes.social import FakeEdges, FakeSocial
from tests.unit.fakes.state import State

T = TypeVar("T")
START = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)

REPOSITORIES = {
    "users": FakeUsers,
    "tracks": FakeTracks,
    "policies": FakePolicies,
    "media": FakeMedia,
    "playlists": FakePlaylists,
    "social": FakeSocial,
    "plays": FakePlays,
    "counters": FakeCountersRepository,
    "catalog": FakeCatalog,
}


class TickingClock:
    """A deterministic clock for stamped rows: each call is one millisecond after the last."""

    def __init__(self, start: dt.datetime = START, step: dt.timedelta | None = None) -> None:
        self._next = start
        self._step = step or dt.timedelta(milliseconds=1)

    def __call__(self) -> dt.datetime:
        now, self._next = self._next, self._next + self._step
        return now


class Recorder:
    """Counts calls of a fake repository's methods (nested relations too: `social.follows`)."""

    def __init__(self, target: Any, path: str, calls: Counter[str]) -> None:
        self._target = target
        self._path = path
        self._calls = calls

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        path = f"{self._path}.{name}"
        if callable(value):

            def counted(*args: Any, **kwargs: Any) -> Any:
                self._calls[path] += 1
                return value(*args, **kwargs)

            return counted
        if isinstance(value, FakeEdges) or hasattr(value, "get_many"):
            return Recorder(value, path, self._calls)
        return value


class InMemoryUnitOfWork:
    """Same surface as app.foundation.unit_of_work.UnitOfWork for the VAS under test."""

    def __init__(self, db: InMemoryDatabase, *, write: bool) -> None:
        self._db = db
        self._write = write
        self._state: State | None = None
        self._repos: dict[str, Recorder] = {}

    async def __aenter__(self) -> Self:
        if self._write:
            await self._db.writer.acquire()
        self._db.calls["uow.write" if self._write else "uow.read"] += 1
        self._base = self._db.state
        self._state = self._base.copy()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        state, self._state = self._state, None
        try:
            if exc_type is None and state is not None and (self._write or state != self._base):
                self._db.state = state
        finally:
            if self._write:
                self._db.writer.release()

    def _repo(self, name: str) -> Any:
        if self._state is None:
            raise RuntimeError("unit of work used outside `async with`")
        if name not in self._repos:
            repo = REPOSITORIES[name](self._state, self._db.clock)
            self._repos[name] = Recorder(repo, name, self._db.calls)
        return self._repos[name]

    users = property(lambda self: self._repo("users"))
    tracks = property(lambda self: self._repo("tracks"))
    shown_tracks = property(lambda self: self._repo("tracks"))
    policies = property(lambda self: self._repo("policies"))
    media = property(lambda self: self._repo("media"))
    playlists = property(lambda self: self._repo("playlists"))
    social = property(lambda self: self._repo("social"))
    plays = property(lambda self: self._repo("plays"))
    counters = property(lambda self: self._repo("counters"))
    catalog = property(lambda self: self._repo("catalog"))


class InMemoryDatabase:
    """Stands in for app.foundation.unit_of_work.Database in unit tests."""

    def __init__(self, clock: Any = None) -> None:
        self.state = State()
        self.clock = clock or TickingClock()
        self.calls: Counter[str] = Counter()
        self.writer = asyncio.Lock()

    def read(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self, write=False)

    def write(self, *, cached_reads: bool = False) -> InMemoryUnitOfWork:
        """(There is no cache in memory: `cached_reads` changes nothing here.)"""
        return InMemoryUnitOfWork(self, write=True)

    async def write_grouped(
        self,
        command: Callable[[InMemoryUnitOfWork], Coroutine[Any, Any, T]],
        *,
        cached_reads: bool = False,
        locks: RowLocks | None = None,
    ) -> T:
        """Each command in a unit of work of its own (group commit is a database concern)."""
        async with self.write(cached_reads=cached_reads) as uow:
            return await command(uow)

    async def transact(
        self,
        command: Callable[[InMemoryUnitOfWork], Coroutine[Any, Any, T]],
        *,
        cached_reads: bool = False,
    ) -> T:
        """The command in a unit of work of its own (in memory no transaction loses a race)."""
        async with self.write(cached_reads=cached_reads) as uow:
            return await command(uow)

    async def dispose(self) -> None:
        """Nothing to release."""
