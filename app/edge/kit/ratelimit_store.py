"""Fixed-window counters for rate limiting: in process by default, Redis when scaled out."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Protocol

from app.faults import CircuitBreaker
from app.telemetry.redis import SerialConnection, SerialScript, TracedRedis

log = logging.getLogger(__name__)


class RateLimitStore(Protocol):
    async def hit(self, key: str, window: int) -> tuple[int, int]:
        """Count one hit in the current window of `window` seconds.

        Returns (hits so far in this window, seconds until the window resets).
        """
        ...

    async def hit_many(self, keys: list[tuple[str, int]]) -> list[tuple[int, int]]:
        """`hit` for several (key, window) pairs at once (one round trip where it matters)."""
        ...

    async def peek_many(self, keys: list[tuple[str, int]]) -> list[tuple[int, int]]:
        """Like `hit_many` without counting: (hits so far, seconds until reset) of each."""
        ...

    async def close(self) -> None: ...


class MemoryStore:
    """Counters in this process only (the embedded default): one entry per (key, window), the
    count of its current window (a new window starts it again)."""

    def __init__(self, clock: Any = time.time) -> None:
        self._clock = clock
        self._counts: dict[tuple[str, int], tuple[int, int]] = {}
        """(key, window) → (the start of the window counted, hits in it)."""

    async def hit(self, key: str, window: int) -> tuple[int, int]:
        return self._hit(key, window, int(self._clock()))

    async def hit_many(self, keys: list[tuple[str, int]]) -> list[tuple[int, int]]:
        now = int(self._clock())
        return [self._hit(key, window, now) for key, window in keys]

    async def peek_many(self, keys: list[tuple[str, int]]) -> list[tuple[int, int]]:
        now = int(self._clock())
        found = []
        for key, window in keys:
            start = now - now % window
            counted, hits = self._counts.get((key, window), (start, 0))
            found.append((hits if counted == start else 0, start + window - now))
        return found

    def _hit(self, key: str, window: int, now: int) -> tuple[int, int]:
        # no await in here: one event loop runs it to the end, no lock needed
        start = now - now % window
        bucket = (key, window)
        counted, hits = self._counts.get(bucket, (start, 0))
        count = hits + 1 if counted == start else 1
        self._counts[bucket] = (start, count)
        if len(self._counts) > 100_000:
            self._counts = {k: v for k, v in self._counts.items() if v[0] + k[1] > now}
        return count, start + window - now

    async def close(self) -> None:
        self._counts.clear()


REDIS_TIMEOUT = 0.5
"""Seconds a counter call may take before the store fails open and opens its breaker (Redis
answers in well under a millisecond when it is there at all)."""

_COUNT = """
local counts = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  if count == 1 then redis.call('EXPIRE', key, ARGV[i]) end
  counts[i] = count
end
return counts
"""
"""INCR every bucket, giving a new one its expiry: one script call counts a whole batch."""


class RedisStore:
    """Counters shared by every process through Redis, exact: every hit is an INCR.

    Hits from concurrent requests are coalesced: those that arrive while a batch is on its way
    go out together in the next one (one script call, one round trip), so Redis sees one call
    per batch instead of one per request. When Redis does not answer the request is let
    through (fail open) and a warning logged: an outage of the counters must not take every
    API down with it. The failure opens a circuit breaker: while it is open no request waits
    for Redis at all (nothing is counted), and a background PING each cool-down closes it
    again once Redis answers.
    """

    def __init__(
        self,
        url: str,
        clock: Any = time.time,
        prefix: str = "soundstack",
        breaker: CircuitBreaker | None = None,
    ) -> None:
        self._redis: Any = TracedRedis.from_url(
            url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
        )
        self.breaker = breaker or CircuitBreaker()
        self._probe: asyncio.Task[None] | None = None
        self._batches = SerialConnection(self._redis)
        """The batch sender's own connection (it sends one batch at a time)."""
        self._script: Any = SerialScript(self._redis, self._batches, _COUNT)
        self._clock = clock
        self._prefix = prefix
        self._waiting: list[tuple[list[str], list[int], asyncio.Future[list[int]]]] = []
        self._sending: asyncio.Task[None] | None = None

    async def hit(self, key: str, window: int) -> tuple[int, int]:
        return (await self.hit_many([(key, window)]))[0]

    async def hit_many(self, keys: list[tuple[str, int]]) -> list[tuple[int, int]]:
        now = int(self._clock())
        starts = [now - now % window for _, window in keys]
        resets = [start + window - now for start, (_, window) in zip(starts, keys, strict=True)]
        if not self._available():
            return [(0, reset) for reset in resets]
        buckets = [
            f"{self._prefix}:rl:{key}:{start}" for start, (key, _) in zip(starts, keys, strict=True)
        ]
        done: asyncio.Future[list[int]] = asyncio.get_running_loop().create_future()
        self._waiting.append((buckets, [w + 1 for _, w in keys], done))
        if self._sending is None:
            self._sending = asyncio.create_task(self._send_batches())
        try:
            counts = await done
        except Exception:  # (whatever the client raised: fail open)
            return [(0, reset) for reset in resets]
        return list(zip(counts, resets, strict=True))

    def _available(self) -> bool:
        """Is Redis worth asking now? While the breaker is open, no; once per cool-down a
        background PING (never a request) finds out whether it is back."""
        if not self.breaker.is_open:
            return True
        if self.breaker.allows() and self._probe is None:
            self._probe = asyncio.create_task(self._ping())
        return False

    async def _ping(self) -> None:
        try:
            await self._redis.ping()
        except Exception as exc:  # (uvloop: RuntimeError on a closed transport)
            self._failed(exc)
        else:
            log.info("rate limit store reachable again")
            self.breaker.succeeded()
        finally:
            self._probe = None

    def _failed(self, exc: BaseException) -> None:
        if not self.breaker.is_open:
            log.warning("rate limit store unavailable, not counting: %s", exc)
        self.breaker.failed()

    async def peek_many(self, keys: list[tuple[str, int]]) -> list[tuple[int, int]]:
        """One MGET; when Redis does not answer, nothing is counted (fail open, as hits)."""
        now = int(self._clock())
        starts = [now - now % window for _, window in keys]
        resets = [start + window - now for start, (_, window) in zip(starts, keys, strict=True)]
        buckets = [
            f"{self._prefix}:rl:{key}:{start}" for start, (key, _) in zip(starts, keys, strict=True)
        ]
        values: list[Any] = [None] * len(buckets)
        if self._available():
            try:
                values = await self._redis.mget(buckets)
            except Exception as exc:  # (uvloop: RuntimeError on a closed transport)
                self._failed(exc)
            else:
                self.breaker.succeeded()
        counts = [int(v) if v is not None else 0 for v in values]
        return list(zip(counts, resets, strict=True))

    async def _send_batches(self) -> None:
        """Send what is waiting, one batch after the other, until nothing is."""
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                keys = [b for buckets, _, _ in batch for b in buckets]
                ttls = [t for _, expiries, _ in batch for t in expiries]
                try:
                    if self.breaker.is_open:  # (it opened while this batch waited)
                        raise ConnectionError("rate limit store unavailable")
                    counts = [int(c) for c in await self._script(keys=keys, args=ttls)]
                except Exception as exc:  # (uvloop: RuntimeError on a closed transport)
                    if not self.breaker.is_open:
                        self._failed(exc)
                    for _, _, done in batch:
                        if not done.done():  # (its request may have been cancelled)
                            done.set_exception(exc)
                    continue
                self.breaker.succeeded()
                at = 0
                for buckets, _, done in batch:
                    if not done.done():
                        done.set_result(counts[at : at + len(buckets)])
                    at += len(buckets)
        finally:
            self._sending = None

    async def close(self) -> None:
        pending = [t for t in (self._sending, self._probe) if t is not None]
        await asyncio.gather(*pending, return_exceptions=True)
        await self._batches.close()
        await self._redis.aclose()


def store_for(redis_url: str | None, prefix: str = "soundstack") -> RateLimitStore:
    return RedisStore(redis_url, prefix=prefix) if redis_url else MemoryStore()
