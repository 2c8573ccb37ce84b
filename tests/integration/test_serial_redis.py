"""The rate-limit store's batches go over one Redis connection of their own, without the client's
pool: a script Redis does not know is loaded, a dropped connection is replaced by the next
command, and each command is traced and its failures counted as the client's are."""

from __future__ import annotations

import uuid

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client import REGISTRY
from redis.exceptions import ConnectionError as RedisConnectionError

from app.edge.kit.ratelimit_store import RedisStore
from app.telemetry.metrics import metrics
from app.telemetry.redis import SerialConnection, SerialScript, TracedRedis
from app.telemetry.tracing import tracer_of, tracing_with


async def test_a_script_redis_does_not_know_is_loaded_and_run_on_one_connection(
    redis_url: str, redis_prefix: str
) -> None:
    client = TracedRedis.from_url(redis_url, socket_timeout=2)
    serial = SerialConnection(client)
    unknown = f"-- {uuid.uuid4().hex}\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])"
    script = SerialScript(client, serial, unknown)
    key = f"{redis_prefix}:serial"
    try:
        assert [await script(keys=[key], args=[n]) for n in (1, 2, 3)] == [1, 3, 6]
        ids = {await serial.execute("CLIENT", "ID") for _ in range(3)}
        assert len(ids) == 1 and ids != {await client.client_id()}  # (its own, kept)
    finally:
        await serial.close()
        await client.aclose()


async def test_a_dropped_connection_fails_one_command_counted_and_the_next_connects(
    redis_url: str,
) -> None:
    client = TracedRedis.from_url(redis_url, socket_timeout=2)
    serial = SerialConnection(client)
    try:
        first = await serial.execute("CLIENT", "ID")
        await client.execute_command("CLIENT", "KILL", "ID", first)
        before = _errors("GET")
        with pytest.raises(RedisConnectionError):
            await serial.execute("GET", "soundstack-test-absent-key")
        assert _errors("GET") == before + 1
        assert await serial.execute("CLIENT", "ID") != first  # (connected again)
    finally:
        await serial.close()
        await client.aclose()


def _errors(command: str) -> float:
    metrics()  # (registered on first use)
    found = REGISTRY.get_sample_value("soundstack_redis_errors_total", {"command": command})
    return found or 0.0


async def test_rate_limit_batches_are_traced_as_redis_commands(
    redis_url: str, redis_prefix: str
) -> None:
    provider = TracerProvider()
    exported = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exported))
    store = RedisStore(redis_url, clock=lambda: 1_800_000_007.0, prefix=redis_prefix)
    try:
        with tracing_with(tracer_of(provider)):
            assert await store.hit_many([("traced", 60)]) == [(1, 53)]
            assert await store.hit_many([("traced", 60)]) == [(2, 53)]
    finally:
        await store.close()
        provider.shutdown()
    names = [s.name for s in exported.get_finished_spans()]
    assert names.count("redis EVALSHA") == 2
