"""The edge's view of the process: services, settings and shared stores, kept on app.state."""

from __future__ import annotations

from typing import Any

from litestar.datastructures import State
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import Tracer

from app.edge.kit.ratelimit_store import RateLimitStore
from app.edge.kit.response_cache import ResponseCache
from app.edge.kit.revocations import RecordsBus, RevocationBus
from app.settings import Settings
from app.telemetry.tracing import tracer_of
from app.value_added.registry import Services

STATE_KEY = "edge"


class EdgeContext:
    """Built once by the composition root and shared by every BFF of the process.

    `revocations` (with REDIS_URL) tells the other processes about revoked tokens; `start()`
    begins listening and belongs in the app's on_startup, `close()` in its on_shutdown.
    """

    def __init__(
        self,
        services: Services,
        settings: Settings,
        limits: RateLimitStore,
        revocations: RevocationBus | None = None,
        records: RecordsBus | None = None,
        tracer_provider: TracerProvider | None = None,
    ) -> None:
        self.services = services
        self.tracer_provider = tracer_provider
        """With tracing on (OTEL_* variables, or a provider given by a test): spans per request."""
        self.settings = settings
        self.limits = limits
        self.revocations = revocations
        self.records = records
        self.responses = ResponseCache(services.still_current)
        if records is not None:
            services.on_record_change(records.publish_change)

    def tracer(self) -> Tracer | None:
        """The process's tracer when tracing is on."""
        return None if self.tracer_provider is None else tracer_of(self.tracer_provider)

    async def start(self) -> None:
        if self.revocations is not None:
            self.revocations.start_revocations(self.services.identity.invalidate)
        if self.records is not None:
            self.records.start_records(self.services.forget_records)

    async def close(self) -> None:
        if self.revocations is not None:
            await self.revocations.close()
        if self.records is not None:
            await self.records.close()
        await self.limits.close()
        await self.services.close()
        if self.tracer_provider is not None:
            self.tracer_provider.force_flush(timeout_millis=2_000)

    @staticmethod
    def of(state: State | Any) -> EdgeContext:
        context = state[STATE_KEY] if isinstance(state, State) else state.get(STATE_KEY)
        assert isinstance(context, EdgeContext)
        return context
