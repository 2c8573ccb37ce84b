"""The composition root: create_app() wires settings, services and every enabled BFF."""

from __future__ import annotations

import datetime as dt
import gc
import sys
from collections.abc import Callable
from functools import partial

from litestar import Litestar
from litestar.datastructures import State
from opentelemetry.sdk.trace import TracerProvider

from app.edge.kit.bff import BFFSpec, build_bff_app, edge_headers_on_every_response
from app.edge.kit.context import STATE_KEY, EdgeContext
from app.edge.kit.dispatch import PrefixDispatcher
from app.edge.kit.log_format import litestar_logging
from app.edge.kit.logs import install_request_id_logging
from app.edge.kit.metrics import metrics_endpoint
from app.edge.kit.operations import health, ready
from app.edge.kit.ratelimit_store import store_for
from app.edge.kit.revocations import RecordsBus, RevocationBus
from app.foundation.db import utcnow
from app.settings import Settings, SettingsError, load_settings
from app.telemetry.tracing import provider_from_environment
from app.value_added.identity import PasswordCost
from app.value_added.media import MediaConfig, S3Options
from app.value_added.registry import build_services


def _bff_specs() -> dict[str, Callable[[], BFFSpec]]:
    """Each BFF package's spec factory (imported here only: BFFs never import each other)."""
    from app.edge import auth, media, mobile, partner, public, subsonic, web

    return {
        "mobile": mobile.spec,
        "web": web.spec,
        "public": public.spec,
        "partner": partner.spec,
        "subsonic": subsonic.spec,
        "auth": auth.spec,
        "media": media.spec,
    }


def _settings_or_exit(settings: Settings | None) -> Settings:
    if settings is not None:
        return settings
    try:
        return load_settings()
    except SettingsError as exc:
        print(f"soundstack: configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def media_config(settings: Settings) -> MediaConfig:
    """The media VAS's configuration from the settings (app processes and media workers)."""
    return MediaConfig(
        media_dir=settings.media_dir,
        storage_url=settings.media_storage_url,
        s3=S3Options(
            endpoint_url=settings.aws_endpoint_url,
            region=settings.aws_region,
            access_key_id=settings.aws_access_key_id,
            secret_access_key=settings.aws_secret_access_key,
        ),
        delivery=settings.media_delivery,
        max_upload_bytes=settings.max_upload_bytes,
        lease=dt.timedelta(seconds=settings.media_job_lease_seconds),
    )


def password_cost(settings: Settings) -> PasswordCost:
    """argon2id's parameters as the settings give them."""
    return PasswordCost(
        settings.password_time_cost, settings.password_memory_kib, settings.password_parallelism
    )


def build_context(
    settings: Settings,
    clock: Callable[[], dt.datetime] | None = None,
    tracer_provider: TracerProvider | None = None,
) -> EdgeContext:
    """Services, rate-limit store and (with REDIS_URL) the revocation and record-change buses;
    traced when `tracer_provider` is given or the OTEL_* variables ask for an exporter."""
    provider = tracer_provider or provider_from_environment()
    url, prefix = settings.redis_url, settings.redis_prefix
    bus = RevocationBus(url, prefix) if url else None
    media = media_config(settings)
    on_revoke = bus.publish if bus is not None else None
    services = build_services(
        settings.database_url,
        settings.secret_key,
        clock or utcnow,
        on_revoke,
        media=media,
        cache_ttl=settings.cache_ttl_seconds,
        timeouts=(settings.db_connect_timeout_seconds, settings.db_statement_timeout_seconds),
        cache_max_bytes=settings.cache_max_bytes,
        traced=provider is not None,
        password_cost=password_cost(settings),
    )
    records = RecordsBus(url, prefix) if url else None
    return EdgeContext(services, settings, store_for(url, prefix), bus, records, provider)


GC_THRESHOLDS = (20_000, 50, 1_000)
"""Young collections every 20,000 allocations instead of 700, full ones far more rarely: a
server's garbage is nearly all freed by reference counting, while every full collection walks
the whole record and representation caches (a pause of tens of ms, seen in p99 latency)."""


def freeze_startup_heap() -> None:
    """Move what start-up built (modules, routes, compiled statements) out of the garbage
    collector's way and space collections out (GC_THRESHOLDS)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def thaw_heap() -> None:
    """Undo freeze_startup_heap at shutdown (an app built and stopped in a long-lived process,
    as tests do, must not leave its objects uncollectable)."""
    gc.unfreeze()
    gc.set_threshold(*_DEFAULT_GC_THRESHOLDS)


_DEFAULT_GC_THRESHOLDS = gc.get_threshold()


def create_app(
    settings: Settings | None = None,
    tracer_provider: TracerProvider | None = None,
    *,
    build_bffs_on_first_request: bool = False,
    freeze_heap: bool = True,
) -> PrefixDispatcher:
    """Serve every enabled BFF under its prefix, the OAuth server under /auth, media delivery
    under /media, and operations (/health, /ready) with the process's lifespan.

    A server builds every BFF here (a mistake in a route declaration stops it at start-up);
    `build_bffs_on_first_request` defers each to its first request, for in-process callers that
    use one or two (tests: building all of them is most of a test's own CPU). A server freezes
    its start-up heap (`freeze_startup_heap`); `freeze_heap=False` leaves the garbage collector
    alone, for callers that build app after app in one long-lived process (tests: each start's
    full collection walked everything the process held, ~0.15-0.5 s a test)."""
    settings = _settings_or_exit(settings)
    install_request_id_logging(log_format=settings.log_format)
    ctx = build_context(settings, tracer_provider=tracer_provider)
    specs = _bff_specs()
    enabled = [specs[name]() for name in [*settings.bffs, "auth", "media"]]
    builders = {s.mount: partial(build_bff_app, s, ctx, mount_path=f"/{s.mount}") for s in enabled}
    deferred = builders if build_bffs_on_first_request else {}
    bffs = {} if build_bffs_on_first_request else {m: build() for m, build in builders.items()}

    from app.edge.media.lifecycle import worker_hooks

    start_media_worker, stop_media_worker = worker_hooks(ctx)

    async def close() -> None:
        await ctx.close()

    from app.cli import SoundstackCLI
    from app.edge.site import site_router, template_config

    operations = Litestar(
        route_handlers=[health, ready, metrics_endpoint, site_router()],
        template_config=template_config(),
        state=State({STATE_KEY: ctx}),
        on_startup=[ctx.start, start_media_worker, *([freeze_startup_heap] if freeze_heap else [])],
        on_shutdown=[stop_media_worker, close, *([thaw_heap] if freeze_heap else [])],
        plugins=[SoundstackCLI()],
        openapi_config=None,
        before_send=[edge_headers_on_every_response],
        debug=settings.debug,
        logging_config=litestar_logging(),  # kit.logs configured logging above
    )
    return PrefixDispatcher(operations, bffs, deferred)


def create_standalone_app(bff: str, settings: Settings | None = None) -> Litestar:
    """One BFF alone at the root path (e.g. `LITESTAR_APP=app.main:create_public_app`)."""
    settings = _settings_or_exit(settings)
    install_request_id_logging(log_format=settings.log_format)
    ctx = build_context(settings)
    app = build_bff_app(_bff_specs()[bff](), ctx)
    app.on_startup.extend([ctx.start, freeze_startup_heap])
    app.on_shutdown.extend([ctx.close, thaw_heap])
    return app


def create_mobile_app() -> Litestar:
    return create_standalone_app("mobile")


def create_web_app() -> Litestar:
    return create_standalone_app("web")


def create_public_app() -> Litestar:
    return create_standalone_app("public")


def create_partner_app() -> Litestar:
    return create_standalone_app("partner")


def create_subsonic_app() -> Litestar:
    return create_standalone_app("subsonic")
