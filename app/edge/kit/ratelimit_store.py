"""Fixed-window counters for rate limiting: in process by default, Redis when scaled out."""

from __future__ import annotations

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


class RedisStore:
    """Counters shared by every process through Redis (INCR + EXPIRE in one round trip).

    When Redis does not answer the request is let through (fail open) and a warning logged:
    an outage of the counters must not take every API down with it.
    """

    def __init__(self, url: str, clock: Any = time.time) -> None:
        from redis.asyncio import Redis

        self._redis: Any = Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._clock = clock

    async def hit(self, key: str, window: int) -> tuple[int, int]:
        return (await self.hit_many([(key, window)]))[0]

    async def hit_many(self, keys: list[tuple[str, int]]) -> list[tuple[int, int]]:
        now = int(self._clock())
        starts = [now - now % window for _, window in keys]
        resets = [start + window - now for start, (_, window) in zip(starts, keys, strict=True)]
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                for start, (key, window) in zip(starts, keys, strict=True):
                    bucket = f"soundstack:rl:{key}:{start}"
                    pipe.incr(bucket)
                    pipe.expire(bucket, window + 1)
                replies = await pipe.execute()
        except (OSError, RedisError) as exc:
            log.warning("rate limit store unavailable, not counting: %s", exc)
            return [(0, reset) for reset in resets]
        return [(int(count), reset) for count, reset in zip(replies[::2], resets, strict=True)]

    async def close(self) -> None:
        await self._redis.aclose()


def store_for(redis_url: str | None) -> RateLimitStore:
    return RedisStore(redis_url) if redis_url else MemoryStore()
