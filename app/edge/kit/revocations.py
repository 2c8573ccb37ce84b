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

from app.telemetry.redis import TracedRedis, count_redis_error

log = logging.getLogger(__name__)

CHANNEL = "revoked-tokens"
RECORDS_CHANNEL = "changed-records"
"""Channel names, under the installation's REDIS_PREFIX (`soundstack:revoked-tokens`)."""
CLEAR_ALL = "all"
"""A records-bus message `{"clear": "all"}`: every process clears all its caches."""
RECONNECT_DELAY = 1.0
HEARTBEAT = 1.0
"""Seconds of silence after which the subscription PINGs Redis (and as long for the answer)."""
SUBSCRIBE_TIMEOUT = 2.0
PUBLISH_TIMEOUT = 0.5

Invalidate = Callable[[Sequence[str]], None]
Handler = Callable[[Any], None]


class PubSubBus:
    """One Redis channel of JSON messages: publish, and apply every process's messages.

    The subscription is watched: a quiet connection is PINGed every `HEARTBEAT` seconds and
    dropped when no answer comes within another `HEARTBEAT` (a black-holed Redis is noticed in
    about two heartbeats, not never). `on_lost` runs when the subscription is lost, and
    `on_subscribed` on every (re)subscription — the caches that rely on the channel clear
    themselves there, since what was sent in the gap is lost. A publish that fails or takes
    longer than `PUBLISH_TIMEOUT` is logged and counted in `failed_publishes`.
    """

    def __init__(self, url: str, channel: str) -> None:
        self._redis: Any = TracedRedis.from_url(url, socket_connect_timeout=2)
        self._channel = channel
        self._task: asyncio.Task[None] | None = None
        self.subscribed = asyncio.Event()
        """Set once the subscription is live (tests and readiness may wait for it)."""
        self.on_subscribed: Callable[[], None] = _nothing
        self.on_lost: Callable[[], None] = _nothing
        self.failed_publishes = 0

    async def publish_json(self, payload: Any) -> None:
        """Publish, or log and count the failure (never raises: a lost message is bounded by
        the subscribers' cache TTLs, and they clear their caches when they resubscribe)."""
        try:
            await asyncio.wait_for(
                self._redis.publish(self._channel, msgspec.json.encode(payload)), PUBLISH_TIMEOUT
            )
        except Exception as exc:  # (uvloop: RuntimeError on a closed transport)
            self.failed_publishes += 1
            log.warning(
                "publishing on %s failed (%d so far): %s",
                self._channel,
                self.failed_publishes,
                type(exc).__name__,
            )

    def start(self, handle: Handler) -> None:
        """Start listening in the background (idempotent); `handle(decoded)` on each message."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._listen(handle), name=self._channel)

    async def _listen(self, handle: Handler) -> None:
        while True:
            try:
                async with self._redis.pubsub(ignore_subscribe_messages=True) as pubsub:
                    await asyncio.wait_for(pubsub.subscribe(self._channel), SUBSCRIBE_TIMEOUT)
                    self.on_subscribed()
                    self.subscribed.set()
                    await self._receive(pubsub, handle)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the connection dropped: retry; the caches were told
                count_redis_error("SUBSCRIBE")
                if self.subscribed.is_set():
                    self.subscribed.clear()
                    self.on_lost()
                log.warning("%s subscription lost (%s); reconnecting", self._channel, exc)
                await asyncio.sleep(RECONNECT_DELAY)

    async def _receive(self, pubsub: Any, handle: Handler) -> None:
        """Apply messages until the connection fails or stops answering PINGs."""
        pinged = False
        while True:
            message = await pubsub.get_message(timeout=HEARTBEAT)
            if message is None:
                if pinged:
                    raise ConnectionError("no answer to PING")
                await asyncio.wait_for(pubsub.ping(), HEARTBEAT)
                pinged = True
                continue
            pinged = False  # (anything received proves the connection alive)
            if message.get("type") == "message":
                handle(_decoded(message["data"]))

    async def close(self) -> None:
        """Stop listening and close the connection."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(self._task, timeout=5)
            self._task = None
        await self._redis.aclose()


def _nothing() -> None:
    return None


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

    async def announce_clear(self) -> bool:
        """Ask every process (this one included) to clear all its caches; False when the
        message could not be published."""
        failed = self.failed_publishes
        await self.publish_json({"clear": CLEAR_ALL})
        return self.failed_publishes == failed

    def start_records(
        self, invalidate: Callable[[str, list[Any]], None], clear: Callable[[], None]
    ) -> None:
        self._loop = asyncio.get_running_loop()

        def handle(decoded: Any) -> None:
            if not isinstance(decoded, dict):
                return
            if isinstance(decoded.get("keys"), list):
                invalidate(str(decoded.get("kind")), decoded["keys"])
            elif decoded.get("clear") == CLEAR_ALL:
                clear()

        self.start(handle)

    async def close(self) -> None:
        """Send what is still being published (a command's last changes), then close."""
        self._loop = None
        if self._pending:
            await asyncio.wait(list(self._pending), timeout=PUBLISH_TIMEOUT * 2)
        await super().close()
