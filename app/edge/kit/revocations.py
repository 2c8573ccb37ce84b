"""Token revocations told to every process through Redis pub/sub, so caches forget them fast.

Each process keeps valid principals in memory for up to 30 s (the identity PrincipalCache TTL).
The process that revokes a token forgets it at once. With REDIS_URL set, it also publishes the
revoked token hashes on `CHANNEL`; every process subscribes (a task started on app startup) and
drops them from its cache, so other processes refuse the token within moments. Without Redis,
or while the subscription is down (it reconnects by itself), the cache TTL bounds the staleness:
another process may accept a revoked token for at most 30 s.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from typing import Any

import msgspec
from redis.asyncio import Redis

log = logging.getLogger(__name__)

CHANNEL = "soundstack:revoked-tokens"
RECONNECT_DELAY = 1.0

Invalidate = Callable[[Sequence[str]], None]


class RevocationBus:
    """Publishes revoked access-token hashes and applies the ones any process publishes."""

    def __init__(self, url: str, channel: str = CHANNEL) -> None:
        self._redis: Any = Redis.from_url(url, socket_connect_timeout=2)
        self._channel = channel
        self._task: asyncio.Task[None] | None = None
        self.subscribed = asyncio.Event()
        """Set once the subscription is live (tests and readiness may wait for it)."""

    async def publish(self, token_hashes: Sequence[str]) -> None:
        """The identity `on_revoke` hook: tell every process (this one included)."""
        await self._redis.publish(self._channel, msgspec.json.encode(list(token_hashes)))

    def start(self, invalidate: Invalidate) -> None:
        """Start listening in the background (idempotent); `invalidate(hashes)` on each message."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._listen(invalidate), name="revocation-bus")

    async def _listen(self, invalidate: Invalidate) -> None:
        while True:
            try:
                async with self._redis.pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.subscribe(self._channel)
                    self.subscribed.set()
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            invalidate(_hashes(message["data"]))
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the connection dropped: retry, the TTL bounds staleness
                self.subscribed.clear()
                log.warning("revocation subscription lost (%s); reconnecting", exc)
                await asyncio.sleep(RECONNECT_DELAY)

    async def close(self) -> None:
        """Stop listening and close the connection."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(self._task, timeout=5)
            self._task = None
        await self._redis.aclose()


def _hashes(data: bytes | str) -> list[str]:
    try:
        decoded = msgspec.json.decode(data)
    except msgspec.DecodeError:
        log.warning("ignoring a malformed revocation message")
        return []
    return [h for h in decoded if isinstance(h, str)] if isinstance(decoded, list) else []
