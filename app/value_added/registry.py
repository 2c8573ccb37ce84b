"""Builds the value-added services once, wiring the allowed VAS-to-VAS calls."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

import msgspec

from app.caching.budget import DEFAULT_MAX_BYTES, CacheBudget
from app.caching.provenance import Provenance
from app.foundation.cache import DEFAULT_TTL, RecordCache
from app.foundation.db import CONNECT_TIMEOUT, create_engine, utcnow
from app.foundation.engine_telemetry import connections_in_use
from app.foundation.media.storage import open_storage
from app.foundation.migrations_state import migration_status
from app.foundation.repository_tracing import trace_repositories
from app.foundation.unit_of_work import Database
from app.value_added.catalog import CatalogService
from app.value_added.common.deps import Deps
from app.value_added.common.instrumentation import instrument_service
from app.value_added.creator import CreatorService
from app.value_added.identity import IdentityService, OnRevoke, PasswordCost, Passwords
from app.value_added.media import MediaConfig, MediaService
from app.value_added.playlists import PlaylistsService
from app.value_added.tracks import TracksService
from app.value_added.users import UsersService

log = logging.getLogger(__name__)


class Services(msgspec.Struct, frozen=True):
    """Every value-added service a BFF or the CLI may call."""

    deps: Deps
    tracks: TracksService
    playlists: PlaylistsService
    users: UsersService
    identity: IdentityService
    creator: CreatorService
    media: MediaService

    async def close(self) -> None:
        await self.media.storage.close()
        await self.deps.db.dispose()

    def on_record_change(self, publish: Callable[[str, list[Any]], None]) -> None:
        """Tell `publish(kind, keys)` about every record this process changes (to share
        invalidations with other processes)."""
        self.deps.db.cache.publish = publish

    def still_current(self, provenance: Provenance) -> bool:
        """Was `provenance` built entirely from cached records that are all still current?
        (A representation built from it can then be served again as it is.)"""
        if not provenance.complete:
            return False
        until = provenance.valid_until  # (the clock is read only when something depends on it)
        if until is not None and until <= self.deps.clock():
            return False
        return self.deps.db.cache.vouches_for(provenance)

    @property
    def cache_budget(self) -> CacheBudget:
        """The process's cache budget (CACHE_MAX_BYTES), whose shares every cache draws on."""
        return self.deps.db.cache.budget

    def isolate_records(self, isolated: bool) -> None:
        """The record-change bus was lost (`True`: changes of other processes go unheard, so
        the record cache clears itself and keeps entries only briefly) or (re)subscribed
        (`False`: cleared again, for what was missed in the gap, then normal life)."""
        self.deps.db.cache.isolate(isolated)

    def forget_records(self, kind: str, keys: list[Any]) -> None:
        """Drop records another process changed from this process's record cache."""
        self.deps.db.cache.invalidate(kind, keys, publish=False)

    def clear_caches(self) -> None:
        """Forget everything the services cache (records, values derived from them, principals):
        the next reads go to the database (`litestar cache clear`)."""
        self.deps.db.cache.clear()
        self.identity.forget_principals()

    def connections_in_use(self) -> int:
        """Database connections checked out of the pool and in use now (for /metrics): the
        connections kept for reads count while they run a statement, not while idle."""
        db = self.deps.db
        return connections_in_use(db.engine, db.direct.idle if db.direct is not None else 0)

    async def readiness(self) -> str | None:
        """None when ready; otherwise what is wrong (database unreachable, migrations behind),
        naming the dependency but never the driver's words (statements, parameters, hosts):
        those go to the process's log."""
        try:
            async with self.deps.db.read() as uow:
                current, head = await migration_status(await uow.raw_connection())
        except Exception as exc:  # any driver error means "not reachable"
            log.warning("not ready: database unreachable: %s: %s", type(exc).__name__, exc)
            return "database unreachable"
        if current != head:
            return f"database migrations not at head (current {current}, head {head})"
        return None


def build_services(
    database_url: str,
    secret: str,
    clock: Callable[[], dt.datetime] = utcnow,
    on_revoke: OnRevoke | None = None,
    media: MediaConfig | None = None,
    cache_ttl: float = DEFAULT_TTL,
    timeouts: tuple[float, float | None] = (CONNECT_TIMEOUT, None),
    cache_max_bytes: int = DEFAULT_MAX_BYTES,
    traced: bool = False,
    password_cost: PasswordCost | None = None,
) -> Services:
    """The value-added services over one database; `timeouts` are its connect and statement
    timeouts (seconds; an app process sets both, tools that run long statements no statement
    timeout); `traced`: value-added and repository calls record spans under a traced request
    (nothing is wrapped for tracing otherwise); `password_cost`: argon2id's parameters for
    new password hashes (default PasswordCost())."""
    if traced:
        trace_repositories()
    connect_timeout, statement_timeout = timeouts
    engine = create_engine(
        database_url, connect_timeout=connect_timeout, statement_timeout=statement_timeout
    )
    database = Database(engine, RecordCache(CacheBudget.split(cache_max_bytes), ttl=cache_ttl))
    deps = Deps.build(database, secret, clock)
    media_config = media or MediaConfig()
    storage = open_storage(media_config.storage_url, media_config.media_dir, media_config.s3)
    media_service = MediaService(deps, storage, media_config)
    catalog = CatalogService(deps)
    tracks = TracksService(deps)
    services = Services(
        deps=deps,
        tracks=tracks,
        playlists=PlaylistsService(deps, tracks, catalog.playlists),
        users=UsersService(deps),
        identity=IdentityService(
            deps, on_revoke, passwords=Passwords((password_cost or PasswordCost()).hasher())
        ),
        creator=CreatorService(deps, catalog, media_service),
        media=media_service,
    )
    for name in ("tracks", "playlists", "users", "identity", "creator", "media"):
        instrument_service(getattr(services, name), name, traced)
    return services
