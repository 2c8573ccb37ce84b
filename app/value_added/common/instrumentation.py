"""Per-call metrics (and, when tracing is on, spans) of the value-added services: each public
coroutine method of a service is wrapped once, at composition (build_services)."""

from __future__ import annotations

import functools
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import Any

from app.telemetry.metrics import metrics
from app.telemetry.tracing import traced_method
from app.value_added.common.errors import ServiceError


def instrument_service(service: object, name: str, traced: bool = False) -> None:
    """Replace `service`'s public async methods (its class's, and the query and command
    objects' methods a facade holds as attributes) by counted and timed ones."""
    names = set(vars(service)) | {
        attr for attr, _ in inspect.getmembers(type(service), inspect.iscoroutinefunction)
    }
    for attr in sorted(names):
        method = getattr(service, attr)
        if not attr.startswith("_") and inspect.iscoroutinefunction(method):
            if traced:
                method = traced_method(method, f"{name}.{attr}", "value_added")
            setattr(service, attr, _timed(method, name, attr))


def _timed(
    method: Callable[..., Awaitable[Any]], service: str, name: str
) -> Callable[..., Awaitable[Any]]:
    m = metrics()
    ok = m.vas_calls.labels(service, name, "ok")
    refused = m.vas_calls.labels(service, name, "refused")
    error = m.vas_calls.labels(service, name, "error")
    seconds = m.vas_seconds.labels(service, name)

    @functools.wraps(method)
    async def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            result = await method(*args, **kwargs)
        except ServiceError:
            refused.inc()  # a client's mistake or a denial: the service worked
            raise
        except BaseException:
            error.inc()
            raise
        finally:
            seconds.observe(time.perf_counter() - started)
        ok.inc()
        return result

    return timed
