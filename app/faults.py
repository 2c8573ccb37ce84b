"""Faults of the process's dependencies, below every layer: the error a layer raises when a
dependency is unreachable (every BFF answers it 503 with Retry-After) and the circuit breaker
that keeps an unreachable Redis from costing every request its timeout."""

from __future__ import annotations

import time
from collections.abc import Callable

from app.telemetry.metrics import metrics


class DependencyUnavailable(Exception):
    """A dependency (the database) cannot be reached now: the request is answered 503
    `service_unavailable` with Retry-After, never 500. The message names the dependency only
    (no driver text, which may hold addresses)."""

    def __init__(self, dependency: str, retry_after: int = 1) -> None:
        super().__init__(f"{dependency} unavailable")
        self.dependency = dependency
        self.retry_after = retry_after


class CircuitBreaker:
    """Closed while calls succeed; a failure opens it for `cool_down` seconds, during which
    `allows()` is False and callers skip the dependency at once (a request pays nothing for a
    dead or black-holed Redis). After the cool-down one caller at a time is let through as a
    probe; its success closes the breaker, its failure opens it again."""

    def __init__(
        self,
        cool_down: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        dependency: str = "redis",
    ) -> None:
        self._state = metrics().breaker_open.labels(dependency)
        """`soundstack_breaker_open`, set when the breaker opens or closes."""
        self._state.set(0)
        self._cool_down = cool_down
        self._clock = clock
        self._open_until = 0.0
        self._probing = False
        self.failures = 0
        """Failures seen since the process started (trips and failed probes)."""

    @property
    def is_open(self) -> bool:
        return self._open_until > 0.0

    def allows(self) -> bool:
        """May a call go to the dependency now? (Closed: yes; open: only one probe after the
        cool-down, until it reports back.)"""
        if self._open_until == 0.0:
            return True
        if self._probing or self._clock() < self._open_until:
            return False
        self._probing = True
        return True

    def succeeded(self) -> None:
        if self._open_until:
            self._state.set(0)
        self._open_until = 0.0
        self._probing = False

    def failed(self) -> None:
        if not self._open_until:
            self._state.set(1)
        self.failures += 1
        self._probing = False
        self._open_until = self._clock() + self._cool_down
