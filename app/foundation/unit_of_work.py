"""Unit of work: one lazily opened connection and transaction per request or command."""

from __future__ import annotations

import asyncio
import contextvars
from functools import cached_property
from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.foundation.apps.repository import AppsRepository
from app.foundation.audit.repository import AuditRepository
from app.foundation.cache import CacheSession, RecordCache
from app.foundation.counters.repository import CountersRepository
from app.foundation.lazy import LazyConnection
from app.foundation.media.repository import MediaRepository
from app.foundation.playlists.repository import PlaylistsRepository
from app.foundation.plays.repository import PlaysRepository
from app.foundation.policies.repository import PoliciesRepository
from app.foundation.social.repository import SocialRepository
from app.foundation.tracks.repository import TracksRepository
from app.foundation.users.repository import UsersRepository

_current_read: contextvars.ContextVar[tuple[UnitOfWork, object] | None] = contextvars.ContextVar(
    "current_read_unit_of_work", default=None
)


class UnitOfWork:
    """`async with uow:` one transaction across repositories, committed on success.

    The connection is checked out lazily, on the first statement: a request whose reads are all
    served by the record cache never touches the database. Reads go through the cache only in
    read units of work; writes invalidate what they change, again after commit. `write=True`
    takes the write lock up front on SQLite (BEGIN IMMEDIATE), avoiding deadlocked upgrades.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        cache: RecordCache,
        *,
        write: bool = False,
        cached_reads: bool = False,
        outer: UnitOfWork | None = None,
    ) -> None:
        self._lazy: LazyConnection
        self.cache: CacheSession
        if outer is not None:
            self._lazy, self.cache = outer._lazy, outer.cache
        else:
            self._lazy = LazyConnection(engine, write=write)
            self.cache = CacheSession(cache, reads=cached_reads or not write)
        self._owner = outer is None
        self._write = write
        self._active = False
        self._token: contextvars.Token[tuple[UnitOfWork, object] | None] | None = None

    async def __aenter__(self) -> Self:
        self._active = True
        if self._owner and not self._write:
            self._token = _current_read.set((self, asyncio.current_task()))
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._active = False
        if not self._owner:
            return  # a nested read shares the outer unit of work, which finishes it
        if self._token is not None:
            _current_read.reset(self._token)
            self._token = None
        await self._lazy.finish(commit=exc_type is None)
        if exc_type is None:
            self.cache.committed()

    def _engine_is(self, engine: AsyncEngine) -> bool:
        return self._lazy.engine is engine

    @property
    def connection(self) -> LazyConnection:
        if not self._active:
            raise RuntimeError("unit of work used outside `async with`")
        return self._lazy

    async def raw_connection(self) -> AsyncConnection:
        """The underlying connection (for migrations state and bulk loads)."""
        return await self.connection.connect()

    @cached_property
    def users(self) -> UsersRepository:
        return UsersRepository(self.connection, self.cache)

    @cached_property
    def apps(self) -> AppsRepository:
        return AppsRepository(self.connection, self.cache)

    @cached_property
    def tracks(self) -> TracksRepository:
        return TracksRepository(self.connection, self.cache)

    @cached_property
    def policies(self) -> PoliciesRepository:
        return PoliciesRepository(self.connection, self.cache)

    @cached_property
    def media(self) -> MediaRepository:
        return MediaRepository(self.connection, self.cache)

    @cached_property
    def playlists(self) -> PlaylistsRepository:
        return PlaylistsRepository(self.connection, self.cache)

    @cached_property
    def social(self) -> SocialRepository:
        return SocialRepository(self.connection, self.cache)

    @cached_property
    def plays(self) -> PlaysRepository:
        return PlaysRepository(self.connection)

    @cached_property
    def counters(self) -> CountersRepository:
        return CountersRepository(self.connection, self.cache)

    @cached_property
    def audit(self) -> AuditRepository:
        return AuditRepository(self.connection)


class Database:
    """The foundation's entry point: units of work over one engine and one record cache."""

    def __init__(self, engine: AsyncEngine, cache: RecordCache | None = None) -> None:
        self.engine = engine
        self.cache = cache or RecordCache()

    def read(self) -> UnitOfWork:
        """A read unit of work; inside another read in the same task (a VAS calling a VAS), it
        shares that one's connection: one connection per request, never a pool deadlock."""
        current = _current_read.get()
        if current is not None:
            outer, task = current
            if outer._active and outer._engine_is(self.engine) and task is asyncio.current_task():
                return UnitOfWork(self.engine, self.cache, outer=outer)
        return UnitOfWork(self.engine, self.cache)

    def write(self, *, cached_reads: bool = False) -> UnitOfWork:
        """A write unit of work. `cached_reads` lets it read hot records (tracks, policies,
        counts) from the record cache — for high-volume engagement commands whose checks
        tolerate the cache's invalidation lag; read-modify-write commands must not set it."""
        return UnitOfWork(self.engine, self.cache, write=True, cached_reads=cached_reads)

    async def ping(self) -> None:
        async with self.read() as uow:
            await (await uow.raw_connection()).exec_driver_sql("SELECT 1")

    async def dispose(self) -> None:
        await self.engine.dispose()
