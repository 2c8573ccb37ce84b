"""Process-local read-through cache of hot records, invalidated on write (and across processes
through a publish hook), with per-kind epochs so a read racing a write never caches stale data."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable, Iterable, Sequence
from typing import Any

from app.caching.budget import CacheBudget, size_of
from app.caching.provenance import Entry, Provenance, current
from app.telemetry.metrics import CacheMeter

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
STAMPS = 16384
"""Keys whose last invalidation the cache remembers (`changed_since`): seconds of writes at
thousands a second, far longer than a transaction that kept a value (CacheSession.keep)."""


class RecordCache:
    """kind → key → (expires_at, value, size). Least recently used out first (a hit refreshes
    recency) once the entries' estimated sizes pass the budget's `records` share: a search
    page of 200 tracks is charged as 200 tracks. It holds the whole `budget`: the caches
    derived from records take their shares from it."""

    def __init__(
        self,
        budget: CacheBudget | None = None,
        clock: Callable[[], float] = time.monotonic,
        ttl: float = DEFAULT_TTL,
    ) -> None:
        self.budget = budget or CacheBudget.split()
        self._ttl = ttl
        self._data: OrderedDict[tuple[str, Hashable], Entry] = OrderedDict()
        self._epochs: dict[str, int] = {}
        self.generation = 0
        """Changes whenever any entry is replaced or removed (never on a plain read)."""
        self.flights: dict[Hashable, asyncio.Future[dict[Hashable, Any]]] = {}
        """Loads in progress (CacheSession._load_once), by kind, keys and negativity."""
        self._max_bytes = self.budget.records
        self.bytes = 0
        """The estimated size of every entry held (size_of), at most the records share."""
        self._clock = clock
        self.publish: Publish | None = None
        self.enabled = True
        self._isolated = False
        self.meter = CacheMeter("records")
        self.invalidations = 0
        """How many invalidations so far (a sequence: `changed_since` compares with it)."""
        self._stamps: OrderedDict[tuple[str, Hashable], int] = OrderedDict()
        self._forgotten = 0
        """The latest invalidation whose key's stamp was dropped (or of everything: clear)."""

    def __len__(self) -> int:
        return len(self._data)

    @property
    def ttl(self) -> float:
        """How long an entry lives at most (CACHE_TTL_SECONDS)."""
        return self._ttl

    def epoch(self, kind: str) -> int:
        return self._epochs.get(kind, 0)

    def get_many(self, kind: str, keys: Iterable[Hashable]) -> dict[Hashable, Any]:
        now = self._clock()
        found: dict[Hashable, Any] = {}
        data = self._data
        provenance = current()
        misses = 0
        for key in keys:
            slot = (kind, key)
            entry = data.get(slot)
            if entry is not None:
                if entry[0] > now:
                    found[key] = entry[1]
                    data.move_to_end(slot)  # (recently used: evicted last)
                    if provenance is not None:
                        provenance.entries[slot] = entry
                    continue
                self._drop(slot)
                self.generation += 1
            misses += 1
            if provenance is not None:
                provenance.complete = False
        self.meter.looked_up(len(found), misses)
        return found

    def holds(self, kind: str, key: Hashable) -> bool:
        """Is there a live entry (a peek: no recency, no hit or miss counted, no provenance)?"""
        entry = self._data.get((kind, key))
        return entry is not None and entry[0] > self._clock()

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
        self.put_kinds(((kind, values, epoch),))

    def put_kinds(self, batches: Iterable[tuple[str, dict[Hashable, Any], int]]) -> None:
        """`put_many` of several kinds read together (one statement's companions): one clock
        read, one generation and one eviction pass for all of them."""
        if not self.enabled:
            return
        epochs = self._epochs
        now = self._clock()
        data = self._data
        largest = self._max_bytes // 16  # (one value never crowds out most of the others)
        stored = False
        for kind, values, epoch in batches:
            if epochs.get(kind, 0) != epoch:
                continue
            stored = True
            ttl = min(self._ttl, SEARCH_TTL) if kind.startswith("search") else self._ttl
            if self._isolated:
                ttl = min(ttl, ISOLATED_TTL)
            expires = now + ttl
            for key, value in values.items():
                slot = (kind, key)
                self._drop(slot)
                size = size_of(value)
                if size <= largest:
                    data[slot] = (expires, value, size)
                    self.bytes += size
        if not stored:
            return
        self.generation += 1
        evicted = 0
        while self.bytes > self._max_bytes:
            self.bytes -= data.popitem(last=False)[1][2]
            evicted += 1
        if evicted:
            self.meter.evictions.inc(evicted)
        self.meter.bytes.set(self.bytes)

    def _drop(self, slot: tuple[str, Hashable]) -> None:
        gone = self._data.pop(slot, None)
        if gone is not None:
            self.bytes -= gone[2]

    def invalidate(self, kind: str, keys: Iterable[Hashable], *, publish: bool = True) -> None:
        keys = list(keys)
        self._epochs[kind] = self._epochs.get(kind, 0) + 1
        self.generation += 1
        self.invalidations += 1
        stamps = self._stamps
        for key in keys:
            slot = (kind, key)
            self._drop(slot)
            stamps[slot] = self.invalidations
            stamps.move_to_end(slot)
        while len(stamps) > STAMPS:
            self._forgotten = max(self._forgotten, stamps.popitem(last=False)[1])
        if publish and self.publish is not None and keys:
            self.publish(kind, keys)

    def changed_since(self, kind: str, key: Hashable, invalidations: int) -> bool:
        """Was `key` of `kind` invalidated after the `invalidations`-th invalidation (here or,
        through the bus, in another process)? True when that is no longer known."""
        stamp = self._stamps.get((kind, key))
        if stamp is None:
            return self._forgotten > invalidations
        return stamp > invalidations

    def isolate(self, isolated: bool) -> None:
        """The invalidation bus was lost (`True`) or (re)subscribed (`False`): what other
        processes changed meanwhile was not heard, so everything cached is dropped, and while
        isolated new entries live only ISOLATED_TTL seconds."""
        self._isolated = isolated
        self.clear()

    def clear(self) -> None:
        self.generation += 1
        self._data.clear()
        self.bytes = 0
        self.meter.bytes.set(0)
        for kind in list(self._epochs):
            self._epochs[kind] += 1
        self.invalidations += 1  # (anything may have changed: every key counts as changed)
        self._stamps.clear()
        self._forgotten = self.invalidations


class CacheSession:
    """One unit of work's view: read-through for reads; invalidations repeated after commit."""

    def __init__(self, cache: RecordCache, *, reads: bool) -> None:
        self._cache = cache
        self._reads = reads and cache.enabled
        self._dirty: list[tuple[str, list[Hashable]]] = []
        self._kept: dict[tuple[str, Hashable], tuple[Any, int]] = {}
        """What `keep` was given, by kind and key, and the cache's invalidation count then."""

    @property
    def reads(self) -> bool:
        """Does this session read from the cache (a read unit of work's, the cache enabled)?"""
        return self._reads

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

    def lacks(self, kind: str, key: Hashable) -> bool:
        """Would a read through this session load `key` of `kind` (a session that reads from
        the cache, which holds no live entry of it)? For reads batched ahead of their use."""
        return self._reads and not self._cache.holds(kind, key)

    def store(self, kind: str, values: dict[Hashable, Any], epoch: int) -> None:
        """Keep records of `kind` read (committed) along with others, at `epoch` (taken before
        the read: refused if `kind` was invalidated since); absent keys as ABSENT for kinds read
        with `negative=True`. Only a read unit of work's session stores."""
        if self._reads and values:
            self._cache.put_many(kind, values, epoch)

    def store_kinds(self, batches: Sequence[tuple[str, dict[Hashable, Any], int]]) -> None:
        """`store` of several kinds read in one statement, as (kind, values, epoch)."""
        if self._reads:
            self._cache.put_kinds(b for b in batches if b[1])

    def invalidate(self, kind: str, keys: Iterable[Hashable]) -> None:
        keys = list(keys)
        if keys:
            self._cache.invalidate(kind, keys, publish=False)
            self._dirty.append((kind, keys))
            if self._kept:  # (changed again since it was kept: kept no longer)
                for key in keys:
                    self._kept.pop((kind, key), None)

    def keep(self, kind: str, key: Hashable, value: Any) -> None:
        """`value` is what this transaction itself made `key` of `kind` (a write's RETURNING
        row, exactly as a read would load it): once it commits, it is cached (the read that
        builds the answer finds it) — unless the key was invalidated by another transaction
        (or process) after it was kept, whose change may be newer. Call it after the write's
        invalidation; a later invalidation of the key in this transaction drops it, a later
        `keep` replaces it."""
        self._kept[(kind, key)] = (value, self._cache.invalidations)

    def committed(self) -> None:
        """Invalidate again after commit: a reader that loaded between our write and our commit
        saw the old row; its fill was refused by the epoch check, and this clears any stragglers.
        Then cache what the transaction kept (`keep`) that no other transaction changed since."""
        if not self._kept and not self._dirty:
            return  # (a read's session: nothing to repeat or keep)
        cache = self._cache
        kept: dict[str, dict[Hashable, Any]] = {}
        for (kind, key), (value, at) in self._kept.items():
            if not cache.changed_since(kind, key, at):
                kept.setdefault(kind, {})[key] = value
        self._kept.clear()
        # one invalidation (one message to the other processes) per kind, not per change: a
        # group commit's 64 likes change 4 kinds, so 4 messages instead of 256
        merged: dict[str, dict[Hashable, None]] = {}
        for kind, keys in self._dirty:
            merged.setdefault(kind, {}).update(dict.fromkeys(keys))
        self._dirty.clear()
        for kind, unique in merged.items():
            cache.invalidate(kind, list(unique))  # (and tell the other processes)
        for kind, values in kept.items():  # (no await since the invalidations: none came between)
            cache.put_many(kind, values, cache.epoch(kind))


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
