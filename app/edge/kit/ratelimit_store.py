"""Fixed-window counters for rate limiting: in process by default, Redis when scaled out."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Protocol

from redis.exceptions import RedisError

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
    """Counters in this process only (the embedded default)."""

    def __init__(self, clock: Any = time.time) -> None:
        self._clock = clock
        self._counts: dict[str, tuple[int, int]] = {}

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
            found.append((self._counts.get(f"{key}:{start}", (0, 0))[0], start + window - now))
        return found

    def _hit(self, key: str, window: int, now: int) -> tuple[int, int]:
        # no await in here: one event loop runs it to the end, no lock needed
        start = now - now % window
        bucket = f"{key}:{start}"
        count = self._counts.get(bucket, (0, 0))[0] + 1
        self._counts[bucket] = (count, start + window)
        if len(self._counts) > 100_000:
            self._counts = {k: v for k, v in self._counts.items() if v[1] > now}
        return count, start + window - now

    async def close(self) -> None:
        self._counts.clear()


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
    API down with it.
    """

    def __init__(self, url: str, clock: Any = time.time, prefix: str = "soundstack") -> None:
        from redis.asyncio import Redis

        self._redis: Any = Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._script: Any = self._redis.register_script(_COUNT)
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
        buckets = [
            f"{self._prefix}:rl:{key}:{start}" for start, (key, _) in zip(starts, keys, strict=True)
        ]
        done: asyncio.Future[list[int]] = asyncio.get_running_loop().create_future()
        self._waiting.append((buckets, [w + 1 for _, w in keys], done))
        if self._sending is None:
            self._sending = asyncio.create_task(self._send_batches())
        try:
            counts = await done
        except (OSError, RedisError) as exc:
            log.warning("rate limit store unavailable, not counting: %s", exc)
            return [(0, reset) for reset in resets]
        return list(zip(counts, resets, strict=True))

    async def peek_many(self, keys: list[tuple[str, int]]) -> list[tuple[int, int]]:
        """One MGET; when Redis does not answer, nothing is counted (fail open, as hits)."""
        now = int(self._clock())
        starts = [now - now % window for _, window in keys]
        resets = [start + window - now for start, (_, window) in zip(starts, keys, strict=True)]
        buckets = [
            f"{self._prefix}:rl:{key}:{start}" for start, (key, _) in zip(starts, keys, strict=True)
        ]
        try:
            values = await self._redis.mget(buckets)
        except (OSError, RedisError) as exc:
            log.warning("rate limit store unavailable, not counting: %s", exc)
            values = [None] * len(buckets)
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
                    counts = [int(c) for c in await self._script(keys=keys, args=ttls)]
                except (OSError, RedisError) as exc:
                    for _, _, done in batch:
                        if not done.done():  # (its request may have been cancelled)
                            done.set_exception(exc)
                    continue
                at = 0
                for buckets, _, done in batch:
                    if not done.done():
                        done.set_result(counts[at : at + len(buckets)])
                    at += len(buckets)
        finally:
            self._sending = None

    async def close(self) -> None:
        if self._sending is not None:
            await asyncio.gather(self._sending, return_exceptions=True)
        await self._redis.aclose()


def store_for(redis_url: str | None, prefix: str = "soundstack") -> RateLimitStore:
    return RedisStore(redis_url, prefix=prefix) if redis_url else MemoryStore()
