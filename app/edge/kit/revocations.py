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

CHANNEL = "revoked-tokens"
RECORDS_CHANNEL = "changed-records"
"""Channel names, under the installation's REDIS_PREFIX (`soundstack:revoked-tokens`)."""
RECONNECT_DELAY = 1.0

Invalidate = Callable[[Sequence[str]], None]
Handler = Callable[[Any], None]


class PubSubBus:
    """One Redis channel of JSON messages: publish, and apply every process's messages."""

    def __init__(self, url: str, channel: str) -> None:
        self._redis: Any = Redis.from_url(url, socket_connect_timeout=2)
        self._channel = channel
        self._task: asyncio.Task[None] | None = None
        self.subscribed = asyncio.Event()
        """Set once the subscription is live (tests and readiness may wait for it)."""

    async def publish_json(self, payload: Any) -> None:
        await self._redis.publish(self._channel, msgspec.json.encode(payload))

    def start(self, handle: Handler) -> None:
        """Start listening in the background (idempotent); `handle(decoded)` on each message."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._listen(handle), name=self._channel)

    async def _listen(self, handle: Handler) -> None:
        while True:
            try:
                async with self._redis.pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.subscribe(self._channel)
                    self.subscribed.set()
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            handle(_decoded(message["data"]))
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the connection dropped: retry, the TTL bounds staleness
                self.subscribed.clear()
                log.warning("%s subscription lost (%s); reconnecting", self._channel, exc)
                await asyncio.sleep(RECONNECT_DELAY)

    async def close(self) -> None:
        """Stop listening and close the connection."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(self._task, timeout=5)
            self._task = None
        await self._redis.aclose()


def _decoded(data: bytes | str) -> Any:
    try:
        return msgspec.json.decode(data)
    except msgspec.DecodeError:
        log.warning("ignoring a malformed bus message")
        return None


class RevocationBus(PubSubBus):
    """Publishes revoked access-token hashes and applies the ones any process publishes."""

    def __init__(self, url: str, prefix: str = "soundstack") -> None:
        super().__init__(url, f"{prefix}:{CHANNEL}")

    async def publish(self, token_hashes: Sequence[str]) -> None:
        """The identity `on_revoke` hook: tell every process (this one included)."""
        await self.publish_json(list(token_hashes))

    def start_revocations(self, invalidate: Invalidate) -> None:
        self.start(lambda decoded: invalidate(_hashes(decoded)))


def _hashes(decoded: Any) -> list[str]:
    return [h for h in decoded if isinstance(h, str)] if isinstance(decoded, list) else []


class RecordsBus(PubSubBus):
    """Tells every process which cached records changed (kind and keys), so the record caches
    of all processes drop them; without it, cache TTLs bound the staleness across processes."""

    def __init__(self, url: str, prefix: str = "soundstack") -> None:
        super().__init__(url, f"{prefix}:{RECORDS_CHANNEL}")
        self._pending: set[asyncio.Task[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None

    def publish_change(self, kind: str, keys: list[Any]) -> None:
        """The record cache's (synchronous) publish hook: send in the background, on the loop
        that owns the Redis connection (the one `start_records` ran on)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        message = self.publish_json({"kind": kind, "keys": keys})
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is not loop:
            asyncio.run_coroutine_threadsafe(message, loop)
            return
        task = loop.create_task(message)
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    def start_records(self, invalidate: Callable[[str, list[Any]], None]) -> None:
        self._loop = asyncio.get_running_loop()

        def handle(decoded: Any) -> None:
            if isinstance(decoded, dict) and isinstance(decoded.get("keys"), list):
                invalidate(str(decoded.get("kind")), decoded["keys"])

        self.start(handle)

    async def close(self) -> None:
        self._loop = None
        await super().close()
