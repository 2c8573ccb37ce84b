"""Unit of work: one connection (and one transaction) per request or command, repositories on it."""

from __future__ import annotations

from functools import cached_property
from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.foundation.apps.repository import AppsRepository
from app.foundation.audit.repository import AuditRepository
from app.foundation.counters.repository import CountersRepository
from app.foundation.media.repository import MediaRepository
from app.foundation.playlists.repository import PlaylistsRepository
from app.foundation.plays.repository import PlaysRepository
from app.foundation.policies.repository import PoliciesRepository
from app.foundation.social.repository import SocialRepository
from app.foundation.tracks.repository import TracksRepository
from app.foundation.users.repository import UsersRepository


class UnitOfWork:
    """`async with uow:` opens one connection and transaction; commits on success.

    Repositories are created lazily on that connection, so a request that touches three
    foundation services still uses one connection and one transaction. `write=True` takes the
    write lock up front on SQLite (BEGIN IMMEDIATE), avoiding deadlocked lock upgrades.
    """

    def __init__(self, engine: AsyncEngine, *, write: bool = False) -> None:
        self._engine = engine
        self._write = write
        self._conn: AsyncConnection | None = None

    async def __aenter__(self) -> Self:
        conn = await self._engine.connect()
        if self._write:
            conn = await conn.execution_options(write=True)
        await conn.begin()
        self._conn = conn
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn = self._conn
        self._conn = None
        if conn is None:
            return
        try:
            if exc_type is None:
                await conn.commit()
            else:
                await conn.rollback()
        finally:
            await conn.close()

    @property
    def connection(self) -> AsyncConnection:
        if self._conn is None:
            raise RuntimeError("unit of work used outside `async with`")
        return self._conn

    @cached_property
    def users(self) -> UsersRepository:
        return UsersRepository(self.connection)

    @cached_property
    def apps(self) -> AppsRepository:
        return AppsRepository(self.connection)

    @cached_property
    def tracks(self) -> TracksRepository:
        return TracksRepository(self.connection)

    @cached_property
    def policies(self) -> PoliciesRepository:
        return PoliciesRepository(self.connection)

    @cached_property
    def media(self) -> MediaRepository:
        return MediaRepository(self.connection)

    @cached_property
    def playlists(self) -> PlaylistsRepository:
        return PlaylistsRepository(self.connection)

    @cached_property
    def social(self) -> SocialRepository:
        return SocialRepository(self.connection)

    @cached_property
    def plays(self) -> PlaysRepository:
        return PlaysRepository(self.connection)

    @cached_property
    def counters(self) -> CountersRepository:
        return CountersRepository(self.connection)

    @cached_property
    def audit(self) -> AuditRepository:
        return AuditRepository(self.connection)


class Database:
    """The foundation's entry point: hands out units of work over one engine."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    def read(self) -> UnitOfWork:
        return UnitOfWork(self.engine)

    def write(self) -> UnitOfWork:
        return UnitOfWork(self.engine, write=True)

    async def ping(self) -> None:
        async with self.read() as uow:
            await uow.connection.exec_driver_sql("SELECT 1")

    async def dispose(self) -> None:
        await self.engine.dispose()
