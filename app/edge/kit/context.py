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

    `revocations` (with REDIS_URL) tells the other processes about revoked tokens, `records`
    about changed records; the caches relying on a bus start over whenever it is lost or
    (re)subscribed. `start()` begins listening and belongs in the app's on_startup, `close()`
    in its on_shutdown.
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
        self.responses = ResponseCache(
            services.still_current,
            max_bytes=services.cache_budget.responses if settings.response_cache else 0,
        )
        if revocations is not None:
            revocations.on_subscribed = revocations.on_lost = services.identity.forget_principals
        if records is not None:
            services.on_record_change(records.publish_change)
            services.isolate_records(True)  # (until the bus is subscribed)
            records.on_lost = lambda: self._isolate(True)
            records.on_subscribed = lambda: self._isolate(False)

    def _isolate(self, isolated: bool) -> None:
        """The record-change bus was lost or (re)subscribed: what depends on it starts over."""
        self.services.isolate_records(isolated)
        self.responses.clear()

    def clear_caches(self) -> None:
        """Forget every cache of this process: records, derived values, principals and the
        edge's representations (another process's `litestar cache clear` asks for it too)."""
        self.services.clear_caches()
        self.responses.clear()

    async def clear_all_caches(self) -> bool:
        """Clear this process's caches and tell every process sharing the records bus to clear
        theirs; False when there is no bus (no REDIS_URL) or the announcement failed."""
        self.clear_caches()
        if self.records is None:
            return False
        return await self.records.announce_clear()

    def tracer(self) -> Tracer | None:
        """The process's tracer when tracing is on."""
        return None if self.tracer_provider is None else tracer_of(self.tracer_provider)

    async def start(self) -> None:
        if self.revocations is not None:
            self.revocations.start_revocations(self.services.identity.invalidate)
        if self.records is not None:
            self.records.start_records(self.services.forget_records, self.clear_caches)

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
