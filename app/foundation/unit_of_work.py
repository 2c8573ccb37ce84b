"""Unit of work: one lazily opened connection and transaction per request or command."""

from __future__ import annotations

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


class UnitOfWork:
    """`async with uow:` one transaction across repositories, committed on success.

    The connection is checked out lazily, on the first statement: a request whose reads are all
    served by the record cache never touches the database. Reads go through the cache only in
    read units of work; writes invalidate what they change, again after commit. `write=True`
    takes the write lock up front on SQLite (BEGIN IMMEDIATE), avoiding deadlocked upgrades.
    """

    def __init__(self, engine: AsyncEngine, cache: RecordCache, *, write: bool = False) -> None:
        self._lazy = LazyConnection(engine, write=write)
        self.cache = CacheSession(cache, reads=not write)
        self._active = False

    async def __aenter__(self) -> Self:
        self._active = True
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._active = False
        await self._lazy.finish(commit=exc_type is None)
        if exc_type is None:
            self.cache.committed()

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
        return UnitOfWork(self.engine, self.cache)

    def write(self) -> UnitOfWork:
        return UnitOfWork(self.engine, self.cache, write=True)

    async def ping(self) -> None:
        async with self.read() as uow:
            await (await uow.raw_connection()).exec_driver_sql("SELECT 1")

    async def dispose(self) -> None:
        await self.engine.dispose()
