"""Process-local read-through cache of hot records, invalidated on write (and across processes
through a publish hook), with per-kind epochs so a read racing a write never caches stale data."""

from __future__ import annotations

import asyncio
import contextvars
import datetime as dt
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

ABSENT: Any = object()
"""Cached knowledge that a key has no record (only for kinds read with `negative=True`)."""

Publish = Callable[[str, list[Hashable]], None]

DEFAULT_TTL = 600.0
"""Invalidation is exact within a process and, with Redis, across processes; the TTL only
bounds staleness between processes that share a database but no invalidation bus."""
SEARCH_TTL = 10.0
"""Search pages are not invalidated by key (only by generation): a short life of their own."""
ISOLATED_TTL = 5.0
"""The life of entries stored while the invalidation bus is configured but not subscribed
(Redis unreachable): the cache falls back to in-process only, with this short TTL."""


Entry = tuple[float, Any]
"""(expires_at, value): one cached record; replaced, never mutated, when the record changes."""


class Provenance:
    """What one response was built from: the record-cache entries it read, whether anything
    came from elsewhere (a cache miss, a database connection), and the earliest moment a
    time-dependent decision in it (an unreleased track's release) changes."""

    __slots__ = ("checked_at", "complete", "entries", "expires", "valid_until")

    def __init__(self) -> None:
        self.entries: dict[tuple[str, Hashable], Entry] = {}
        self.complete = True
        self.valid_until: dt.datetime | None = None
        self.checked_at = -1
        """The record cache's generation when the entries were last found current."""
        self.expires = 0.0
        """When the first of the entries expires (set with checked_at)."""


_provenance: contextvars.ContextVar[Provenance | None] = contextvars.ContextVar(
    "provenance", default=None
)


@contextmanager
def tracking() -> Iterator[Provenance]:
    """Record the provenance of everything read in this context (tasks it spawns included);
    inside another tracking context, what this one saw counts for the outer one too."""
    provenance = Provenance()
    token = _provenance.set(provenance)
    try:
        yield provenance
    finally:
        _provenance.reset(token)
        note_derived_from(provenance)


def note_derived_from(provenance: Provenance) -> None:
    """What is being built now depends on everything `provenance` recorded (a value derived
    from records and kept, e.g. an app's public view, being used)."""
    outer = _provenance.get()
    if outer is None:
        return
    outer.entries.update(provenance.entries)
    outer.complete = outer.complete and provenance.complete
    if provenance.valid_until is not None:
        note_valid_until(provenance.valid_until)


def note_outside_read() -> None:
    """Something was read from outside the record cache (the database)."""
    provenance = _provenance.get()
    if provenance is not None:
        provenance.complete = False


def note_valid_until(moment: dt.datetime) -> None:
    """A decision just made changes at `moment` (e.g. a track is released then)."""
    provenance = _provenance.get()
    if provenance is not None and (
        provenance.valid_until is None or moment < provenance.valid_until
    ):
        provenance.valid_until = moment


class RecordCache:
    """kind → key → (expires_at, value), least-recently-used eviction beyond `max_entries`."""

    def __init__(
        self,
        max_entries: int = 200_000,
        clock: Callable[[], float] = time.monotonic,
        ttl: float = DEFAULT_TTL,
    ) -> None:
        self._ttl = ttl
        self._data: OrderedDict[tuple[str, Hashable], tuple[float, Any]] = OrderedDict()
        self._epochs: dict[str, int] = {}
        self.generation = 0
        """Changes whenever any entry is replaced or removed (never on a plain read)."""
        self.flights: dict[Hashable, asyncio.Future[dict[Hashable, Any]]] = {}
        """Loads in progress (CacheSession._load_once), by kind, keys and negativity."""
        self._max = max_entries
        self._clock = clock
        self.publish: Publish | None = None
        self.enabled = True
        self._isolated = False

    def epoch(self, kind: str) -> int:
        return self._epochs.get(kind, 0)

    def get_many(self, kind: str, keys: Iterable[Hashable]) -> dict[Hashable, Any]:
        now = self._clock()
        found: dict[Hashable, Any] = {}
        data = self._data
        provenance = _provenance.get()
        for key in keys:
            entry = data.get((kind, key))
            if entry is not None:
                if entry[0] > now:
                    found[key] = entry[1]
                    if provenance is not None:
                        provenance.entries[(kind, key)] = entry
                    continue
                del data[(kind, key)]
                self.generation += 1
            if provenance is not None:
                provenance.complete = False
        return found

    def vouches_for(self, provenance: Provenance) -> bool:
        """Are all of `provenance`'s entries still current? O(1) while nothing in the cache has
        been replaced or removed since they were last checked, else one look-up per entry."""
        if provenance.checked_at == self.generation and self._clock() < provenance.expires:
            return True
        entries = provenance.entries
        if not self.still_current(entries):
            return False
        provenance.checked_at = self.generation
        provenance.expires = min((e[0] for e in entries.values()), default=float("inf"))
        return True

    def still_current(self, entries: dict[tuple[str, Hashable], Entry]) -> bool:
        """Is every one of these entries still the cached, unexpired one? (Any write to the
        record, here or in another process, replaced or dropped it.)"""
        now = self._clock()
        data = self._data
        for key, entry in entries.items():
            if data.get(key) is not entry or entry[0] <= now:
                return False
        return True

    def put_many(self, kind: str, values: dict[Hashable, Any], epoch: int) -> None:
        """Store values read at `epoch`; skipped when `kind` was invalidated since (a racing
        write), so the cache never holds what a concurrent transaction just replaced."""
        if not self.enabled or self._epochs.get(kind, 0) != epoch:
            return
        ttl = min(self._ttl, SEARCH_TTL) if kind.startswith("search") else self._ttl
        if self._isolated:
            ttl = min(ttl, ISOLATED_TTL)
        expires = self._clock() + ttl
        data = self._data
        self.generation += 1
        for key, value in values.items():
            data[(kind, key)] = (expires, value)
        while len(data) > self._max:
            data.popitem(last=False)

    def invalidate(self, kind: str, keys: Iterable[Hashable], *, publish: bool = True) -> None:
        keys = list(keys)
        self._epochs[kind] = self._epochs.get(kind, 0) + 1
        self.generation += 1
        for key in keys:
            self._data.pop((kind, key), None)
        if publish and self.publish is not None and keys:
            self.publish(kind, keys)

    def isolate(self, isolated: bool) -> None:
        """The invalidation bus was lost (`True`) or (re)subscribed (`False`): what other
        processes changed meanwhile was not heard, so everything cached is dropped, and while
        isolated new entries live only ISOLATED_TTL seconds."""
        self._isolated = isolated
        self.clear()

    def clear(self) -> None:
        self.generation += 1
        self._data.clear()
        for kind in list(self._epochs):
            self._epochs[kind] += 1


class CacheSession:
    """One unit of work's view: read-through for reads; invalidations repeated after commit."""

    def __init__(self, cache: RecordCache, *, reads: bool) -> None:
        self._cache = cache
        self._reads = reads and cache.enabled
        self._dirty: list[tuple[str, list[Hashable]]] = []

    async def read_through(
        self,
        kind: str,
        keys: Sequence[Hashable],
        load: Callable[[list[Hashable]], Awaitable[dict[Hashable, Any]]],
        *,
        negative: bool = False,
    ) -> dict[Hashable, Any]:
        """key → value for `keys` (missing keys absent), loading only what the cache lacks."""
        if not self._reads:
            return await load(list(dict.fromkeys(keys)))
        found = self._cache.get_many(kind, keys)
        missing = [k for k in dict.fromkeys(keys) if k not in found]
        if missing:
            found.update(await self._load_once(kind, missing, load, negative))
        return {k: v for k, v in found.items() if v is not ABSENT}

    async def _load_once(
        self,
        kind: str,
        missing: list[Hashable],
        load: Callable[[list[Hashable]], Awaitable[dict[Hashable, Any]]],
        negative: bool,
    ) -> dict[Hashable, Any]:
        """Load `missing` — once for all concurrent requests missing the same keys (no
        stampede when a hot entry, e.g. a popular search page, expires): the others wait for
        that load, and load for themselves only if it failed or its request was cancelled."""
        flights = self._cache.flights
        flight_key = (kind, tuple(missing), negative)
        flight = flights.get(flight_key)
        if flight is not None:
            await asyncio.wait([flight])
            if not flight.cancelled():
                result: dict[Hashable, Any] = flight.result()
                return result
            return await self._load(kind, missing, load, negative)
        flight = asyncio.get_running_loop().create_future()
        flights[flight_key] = flight
        try:
            loaded = await self._load(kind, missing, load, negative)
        except BaseException:
            flight.cancel()  # (the waiters load for themselves)
            raise
        finally:
            flights.pop(flight_key, None)
        flight.set_result(loaded)
        return loaded

    async def _load(
        self,
        kind: str,
        missing: list[Hashable],
        load: Callable[[list[Hashable]], Awaitable[dict[Hashable, Any]]],
        negative: bool,
    ) -> dict[Hashable, Any]:
        epoch = self._cache.epoch(kind)
        loaded = await load(missing)
        fresh = dict(loaded)
        if negative:
            fresh.update({k: ABSENT for k in missing if k not in loaded})
        self._cache.put_many(kind, fresh, epoch)
        return loaded

    def epoch(self, kind: str) -> int:
        """Changes whenever `kind` is invalidated (a generation for keys that embed it)."""
        return self._cache.epoch(kind)

    def invalidate(self, kind: str, keys: Iterable[Hashable]) -> None:
        keys = list(keys)
        if keys:
            self._cache.invalidate(kind, keys, publish=False)
            self._dirty.append((kind, keys))

    def committed(self) -> None:
        """Invalidate again after commit: a reader that loaded between our write and our commit
        saw the old row; its fill was refused by the epoch check, and this clears any stragglers."""
        for kind, keys in self._dirty:
            self._cache.invalidate(kind, keys)  # (and tell the other processes)
        self._dirty.clear()


async def cached_records(
    session: CacheSession,
    kind: str,
    ids: Sequence[Hashable],
    load: Callable[[list[Hashable]], Awaitable[Sequence[Any]]],
    key: str = "id",
) -> list[Any]:
    """Records for `ids` in request order (missing dropped, duplicates once), read through the
    cache; `load` fetches the records for the ids the cache lacks."""

    async def load_by_key(missing: list[Hashable]) -> dict[Hashable, Any]:
        return {getattr(r, key): r for r in await load(missing)}

    found = await session.read_through(kind, ids, load_by_key)
    return [found[i] for i in dict.fromkeys(ids) if i in found]
