"""A Redis client that records a span per command under a traced request or job (nothing
otherwise beyond one context-variable look-up) and counts failed commands."""

from __future__ import annotations

from typing import Any

from opentelemetry.trace import SpanKind
from redis.asyncio import Redis
from redis.exceptions import NoScriptError

from app.telemetry.metrics import metrics
from app.telemetry.tracing import current


def command_name(args: tuple[Any, ...]) -> str:
    """The command's name (`EVALSHA`, `PUBLISH`, ...): a bounded label, never its arguments."""
    if not args:
        return "UNKNOWN"
    name = args[0]
    text = name.decode("ascii", "replace") if isinstance(name, bytes) else str(name)
    return text.split(None, 1)[0].upper() if text.strip() else "UNKNOWN"


class TracedRedis(Redis):
    """`redis.asyncio.Redis` whose commands are spans (`redis PUBLISH`, kind CLIENT) while a
    traced request or job runs, and whose failures count in `soundstack_redis_errors`."""

    async def execute_command(self, *args: Any, **options: Any) -> Any:
        tracer = current()
        name = command_name(args)
        try:
            if tracer is None:
                return await super().execute_command(*args, **options)  # type: ignore[no-untyped-call]
            attributes = {"db.system": "redis", "db.operation.name": name}
            with tracer.start_as_current_span(
                f"redis {name}", kind=SpanKind.CLIENT, attributes=attributes
            ):  # (an exception marks the span as an error and is recorded on it)
                return await super().execute_command(*args, **options)  # type: ignore[no-untyped-call]
        except NoScriptError:  # (a script not loaded yet: the client loads it and retries)
            raise
        except Exception:
            metrics().redis_errors.labels(name).inc()
            raise


def count_redis_error(operation: str) -> None:
    """Count a Redis failure outside a command (a lost subscription)."""
    metrics().redis_errors.labels(operation).inc()
