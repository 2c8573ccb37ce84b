"""The composition root: create_app() wires settings, services and every enabled BFF."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from litestar import Litestar, asgi
from litestar.datastructures import State
from litestar.types import Receive, Scope, Send

from app.edge.kit.bff import BFFSpec, build_bff_app, edge_headers_on_every_response
from app.edge.kit.context import STATE_KEY, EdgeContext
from app.edge.kit.logs import install_request_id_logging
from app.edge.kit.operations import health, ready
from app.edge.kit.ratelimit_store import store_for
from app.settings import Settings, SettingsError, load_settings
from app.value_added.registry import build_services


def _bff_specs() -> dict[str, Callable[[], BFFSpec]]:
    """Each BFF package's spec factory (imported here only: BFFs never import each other)."""
    from app.edge import auth, media, mobile, partner, public, web

    return {
        "mobile": mobile.spec,
        "web": web.spec,
        "public": public.spec,
        "partner": partner.spec,
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


def build_context(settings: Settings) -> EdgeContext:
    services = build_services(settings.database_url, settings.secret_key)
    return EdgeContext(services, settings, store_for(settings.redis_url))


def _mount(prefix: str, inner: Litestar) -> Any:
    async def mounted(scope: Scope, receive: Receive, send: Send) -> None:
        await inner(scope, receive, send)

    return asgi(f"/{prefix}", is_mount=True, copy_scope=True, name=f"mount_{prefix}")(mounted)


def create_app(settings: Settings | None = None) -> Litestar:
    """Serve every enabled BFF under its prefix, the OAuth server under /auth, and operations."""
    settings = _settings_or_exit(settings)
    install_request_id_logging()
    ctx = build_context(settings)
    specs = _bff_specs()
    enabled = [*settings.bffs, "auth", "media"]
    mounts = [
        _mount(name, build_bff_app(specs[name](), ctx, mount_path=f"/{name}")) for name in enabled
    ]

    async def close() -> None:
        await ctx.close()

    from app.cli import SoundstackCLI

    return Litestar(
        route_handlers=[health, ready, *mounts],
        state=State({STATE_KEY: ctx}),
        on_shutdown=[close],
        plugins=[SoundstackCLI()],
        openapi_config=None,
        before_send=[edge_headers_on_every_response],
        debug=settings.debug,
    )


def create_standalone_app(bff: str, settings: Settings | None = None) -> Litestar:
    """One BFF alone at the root path (e.g. `LITESTAR_APP=app.main:create_public_app`)."""
    settings = _settings_or_exit(settings)
    ctx = build_context(settings)
    app = build_bff_app(_bff_specs()[bff](), ctx)
    app.on_shutdown.append(ctx.close)
    return app


def create_mobile_app() -> Litestar:
    return create_standalone_app("mobile")


def create_web_app() -> Litestar:
    return create_standalone_app("web")


def create_public_app() -> Litestar:
    return create_standalone_app("public")


def create_partner_app() -> Litestar:
    return create_standalone_app("partner")
