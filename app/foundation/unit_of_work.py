"""Unit of work: one lazily opened connection and transaction per request or command."""

from __future__ import annotations

import asyncio
import contextvars
import random
from collections.abc import Callable, Coroutine
from functools import partial
from types import TracebackType
from typing import Any, Self, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.foundation.apps.repository import AppsRepository
from app.foundation.audit.repository import AuditRepository
from app.foundation.cache import CacheSession, RecordCache
from app.foundation.catalog.companions import tracks_with_companions, tracks_with_policies
from app.foundation.catalog.repository import CatalogRepository
from app.foundation.counters.repository import CountersRepository
from app.foundation.db import Conflict
from app.foundation.direct_reads import DirectReads
from app.foundation.group_commit import GroupCommit
from app.foundation.lazy import LazyConnection
from app.foundation.media.repository import MediaRepository
from app.foundation.once import once
from app.foundation.player_credentials.repository import PlayerCredentialsRepository
from app.foundation.playlists.repository import PlaylistsRepository
from app.foundation.plays.repository import PlaysRepository
from app.foundation.policies.repository import PoliciesRepository
from app.foundation.principals.repository import PrincipalsRepository
from app.foundation.row_locks import RowLocks, merged
from app.foundation.social.repository import SocialRepository
from app.foundation.sqlite_driver import LoopReader, loop_reader
from app.foundation.tracks.repository import TracksRepository
from app.foundation.users.repository import UsersRepository
from app.foundation.write_cache import WriteCacheSession
from app.foundation.write_gate import WriteGate
from app.telemetry.metrics import metrics

T = TypeVar("T")

CONCURRENT_BATCHES = 4
"""Group-commit batches one process runs at once on PostgreSQL (SQLite has one writer)."""
CONFLICT_ATTEMPTS = 5
"""Runs of a command whose transaction lost a race (deadlock, serialization failure) before
the Conflict reaches its caller."""

_in_grouped_command: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "in_grouped_command", default=False
)
_current_read: contextvars.ContextVar[tuple[UnitOfWork, object] | None] = contextvars.ContextVar(
    "current_read_unit_of_work", default=None
)


class UnitOfWork:
    """`async with uow:` one transaction across repositories, committed on success.

    The connection is checked out lazily, on the first statement: a request whose reads are all
    served by the record cache never touches the database. Reads go through the cache only in
    read units of work; writes invalidate what they change, again after commit. `write=True`
    takes the write lock up front on SQLite (BEGIN IMMEDIATE), avoiding deadlocked upgrades,
    after waiting its turn at the process's writer `gate`.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        cache: RecordCache,
        *,
        write: bool = False,
        cached_reads: bool = False,
        outer: UnitOfWork | None = None,
        gate: WriteGate | None = None,
        inline: bool = False,
        reader: LoopReader | None = None,
        direct: DirectReads | None = None,
    ) -> None:
        self._lazy: LazyConnection
        self.cache: CacheSession
        if outer is not None:
            self._lazy, self.cache = outer._lazy, outer.cache
        else:
            self._lazy = LazyConnection(
                engine, write=write, gate=gate, inline=inline, reader=reader, direct=direct
            )
            if write and cached_reads:
                self.cache = WriteCacheSession(cache, reads=True)
            else:
                self.cache = CacheSession(cache, reads=not write)
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
        if self._write or self._lazy.conn is not None:
            await self._lazy.finish(commit=exc_type is None)
        # (else: a read that checked no connection out, e.g. all prepared reads or all cached,
        # has nothing to finish: no transaction, no gate)
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
        self._lazy.changes += 1  # whatever runs on it may change anything
        return await self.connection.connect()

    @property
    def changes(self) -> int:
        """Statements run so far that may have changed something (see LazyConnection)."""
        return self._lazy.changes

    @once
    def users(self) -> UsersRepository:
        return UsersRepository(self.connection, self.cache)

    @once
    def apps(self) -> AppsRepository:
        return AppsRepository(self.connection, self.cache)

    @once
    def principals(self) -> PrincipalsRepository:
        return PrincipalsRepository(self.connection, self.cache)

    @once
    def tracks(self) -> TracksRepository:
        if self._write and not isinstance(self.cache, WriteCacheSession):
            return TracksRepository(self.connection, self.cache)
        if self._write:
            load = partial(tracks_with_policies, self.connection, self.cache)
            return TracksRepository(self.connection, self.cache, load)
        load = partial(tracks_with_companions, self.connection, self.cache)
        return TracksRepository(self.connection, self.cache, load, load)

    @once
    def shown_tracks(self) -> TracksRepository:
        """`tracks` for a command whose answer shows the tracks it reads (adding to a
        playlist): in a write unit of work with cached reads, a track the cache lacks is read
        in one statement with every companion its representation shows (policy, counts,
        media, owner and the owner's counts — and, given a viewer, whether the owner follows
        them), each kept in the record cache unless this transaction changed it, so the read
        that builds the answer finds them there."""
        if not self._write or not isinstance(self.cache, WriteCacheSession):
            return self.tracks
        load = partial(tracks_with_companions, self.connection, self.cache)
        return TracksRepository(self.connection, self.cache, load, load)

    @once
    def policies(self) -> PoliciesRepository:
        return PoliciesRepository(self.connection, self.cache)

    @once
    def media(self) -> MediaRepository:
        return MediaRepository(self.connection, self.cache)

    @once
    def playlists(self) -> PlaylistsRepository:
        return PlaylistsRepository(self.connection, self.cache)

    @once
    def social(self) -> SocialRepository:
        return SocialRepository(self.connection, self.cache)

    @once
    def plays(self) -> PlaysRepository:
        return PlaysRepository(self.connection)

    @once
    def counters(self) -> CountersRepository:
        return CountersRepository(self.connection, self.cache)

    @once
    def audit(self) -> AuditRepository:
        return AuditRepository(self.connection)

    @once
    def catalog(self) -> CatalogRepository:
        return CatalogRepository(self.connection, self.tracks, self.cache)

    @once
    def player_credentials(self) -> PlayerCredentialsRepository:
        return PlayerCredentialsRepository(self.connection)


class Database:
    """The foundation's entry point: units of work over one engine and one record cache.

    `write_grouped` commands share transactions (group commit) unless `group_commit=False`.
    On SQLite, write units of work of this process queue at one writer gate (`gate`). On
    PostgreSQL, batches of different processes run at once: each batch first locks the hot rows
    its commands named (`locks`: policies, counters) in one global order, so two batches never
    deadlock on those (one that still loses a race on another row is rolled back and its
    commands run again: correct, but it stalls for deadlock_timeout).
    """

    def __init__(
        self,
        engine: AsyncEngine,
        cache: RecordCache | None = None,
        *,
        group_commit: bool | None = None,
    ) -> None:
        self.engine = engine
        self.cache = cache if cache is not None else RecordCache()
        self.reader = loop_reader(engine)
        """Where read units of work run their prepared reads on SQLite (None elsewhere)."""
        asyncpg = engine.dialect.driver == "asyncpg"
        self.direct = DirectReads(engine) if asyncpg else None
        """Where they run them on PostgreSQL (the process's kept autocommit connections)."""
        sqlite = engine.dialect.name == "sqlite"
        self.gate = WriteGate() if sqlite else None
        self._group_commit = True if group_commit is None else group_commit
        self._groups: dict[bool, GroupCommit[UnitOfWork]] = {}

    def read(self) -> UnitOfWork:
        """A read unit of work; inside another read in the same task (a VAS calling a VAS), it
        shares that one's connection: one connection per request, never a pool deadlock."""
        current = _current_read.get()
        if current is not None:
            outer, task = current
            if outer._active and outer._engine_is(self.engine) and task is asyncio.current_task():
                return UnitOfWork(self.engine, self.cache, outer=outer)
        return UnitOfWork(self.engine, self.cache, reader=self.reader, direct=self.direct)

    def write(self, *, cached_reads: bool = False) -> UnitOfWork:
        """A write unit of work. `cached_reads` lets it read hot records (tracks, policies,
        counts) from the record cache — for high-volume engagement commands whose checks
        tolerate the cache's invalidation lag; read-modify-write commands must not set it."""
        if _in_grouped_command.get():
            raise RuntimeError("a grouped command writes through its own unit of work only")
        return UnitOfWork(
            self.engine, self.cache, write=True, cached_reads=cached_reads, gate=self.gate
        )

    async def write_grouped(
        self,
        command: Callable[[UnitOfWork], Coroutine[Any, Any, T]],
        *,
        cached_reads: bool = False,
        locks: RowLocks | None = None,
    ) -> T:
        """`await command(uow)` in a write unit of work that concurrent commands may share
        (one transaction, one commit): for small, high-volume commands such as likes. The
        command may run more than once (after a rollback caused by another command), so it
        must change nothing but through `uow`; its result or exception is its caller's alone.
        `locks`: the hot rows it locks (all of them: a batch locks its commands' rows before
        running any, in one order; a row left out may still deadlock with another process's)."""
        group = self.group(cached_reads=cached_reads)
        if group is None:
            return await self.transact(command, cached_reads=cached_reads)
        if self.gate is not None and self.gate.held_here():
            # (its batch would wait for the gate this task holds: forever)
            raise RuntimeError("a grouped command inside a write unit of work deadlocks")

        async def grouped(uow: UnitOfWork) -> T:
            _in_grouped_command.set(True)  # (in the command's own copy of its caller's context)
            return await command(uow)

        return await _retrying(lambda: group.run(grouped, locks))

    async def transact(
        self,
        command: Callable[[UnitOfWork], Coroutine[Any, Any, T]],
        *,
        cached_reads: bool = False,
    ) -> T:
        """`await command(uow)` in a write unit of work of its own, run again (a few times,
        after a short random pause) when the transaction lost a race — a deadlock or a
        serialization failure — so the caller never sees one. Like `write_grouped`'s, the
        command may run more than once and must change nothing but through `uow`."""

        async def once() -> T:
            async with self.write(cached_reads=cached_reads) as uow:
                return await command(uow)

        return await _retrying(once)

    def group(self, *, cached_reads: bool = False) -> GroupCommit[UnitOfWork] | None:
        """The group committer behind `write_grouped` (None when group commit is off)."""
        if not self._group_commit:
            return None
        group = self._groups.get(cached_reads)
        if group is None:
            group = GroupCommit(
                lambda: self._grouped_write(cached_reads),
                changes=lambda uow: uow.changes,
                lock=_lock_rows,
                concurrency=1 if self.gate is not None else CONCURRENT_BATCHES,
            )
            self._groups[cached_reads] = group
        return group

    def _grouped_write(self, cached_reads: bool) -> UnitOfWork:
        """A group commit's unit of work: small statements only, so on SQLite they run inline."""
        return UnitOfWork(
            self.engine,
            self.cache,
            write=True,
            cached_reads=cached_reads,
            gate=self.gate,
            inline=self.gate is not None,
        )

    async def ping(self) -> None:
        async with self.read() as uow:
            await (await uow.raw_connection()).exec_driver_sql("SELECT 1")

    async def dispose(self) -> None:
        if self.reader is not None:
            self.reader.close()
        if self.direct is not None:
            await self.direct.close()
        await self.engine.dispose()


async def _lock_rows(uow: UnitOfWork, locks: list[RowLocks]) -> None:
    """Lock a batch's hot rows in one order (RowLocks): its policies shared first — a command
    changing a policy locks it before the counts it recounts — then its counters. PostgreSQL
    only: SQLite has one writer at a time, nothing to order."""
    if uow.connection.dialect.name != "postgresql":
        return
    held, read = await uow.counters.lock(merged(locks))  # (one statement)
    uow.policies.hold(held)  # (its commands then read them from there)
    uow.tracks.hold(read)  # (the policies' tracks, read along: no statement of their own)


async def _retrying(run: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """`await run()`, again after a Conflict (up to CONFLICT_ATTEMPTS runs in all)."""
    for attempt in range(1, CONFLICT_ATTEMPTS):
        try:
            return await run()
        except Conflict:
            metrics().transaction_retries.inc()
            await asyncio.sleep(random.uniform(0, 0.01 * 2**attempt))  # (the winner finishes)
    return await run()
