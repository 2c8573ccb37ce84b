"""Builds one BFF as its own Litestar app: the gateway, error mapping, OpenAPI and injection."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import msgspec
from litestar import Litestar, Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Server
from litestar.types import ControllerRouterHandler, Message, Scope

from app.edge.kit import headers
from app.edge.kit.auth import client_id_required
from app.edge.kit.body_limit import BodyLimits, check_body_limits
from app.edge.kit.caller import Caller
from app.edge.kit.context import STATE_KEY, EdgeContext
from app.edge.kit.cors import CorsPolicy
from app.edge.kit.docs import OfflineRedoc, OfflineSwagger, docs_router
from app.edge.kit.errors import ErrorFormat, exception_handler, plain_error_format
from app.edge.kit.gateway import Gateway, GatewayConfig, caller_of
from app.edge.kit.log_format import litestar_logging
from app.edge.kit.openapi import PLAIN_ERROR_SCHEMA, render_plugins
from app.edge.kit.operations import whoami
from app.edge.kit.quirks import Quirks
from app.edge.kit.ratelimit import DEFAULT_POLICY, RateLimitPolicy
from app.edge.kit.routes import check_declarations, is_automatic_options
from app.edge.kit.strict_bodies import strict_json_body
from app.edge.kit.tracing import TraceRequests
from app.value_added.access import Viewer


class BFFSpec(msgspec.Struct, frozen=True, kw_only=True):
    """What a BFF package declares about itself; the kit does the rest."""

    name: str
    title: str
    description: str
    route_handlers: Sequence[ControllerRouterHandler]
    dependencies: Mapping[str, Callable[..., Any]] = {}
    """The BFF's own providers by the name handlers ask for (dependencies.py)."""
    error_format: ErrorFormat = plain_error_format
    error_schema: Mapping[str, Any] = msgspec.field(default_factory=lambda: PLAIN_ERROR_SCHEMA)
    """The JSON schema of `error_format`'s body, shown for every error status in the OpenAPI
    document."""
    rate_limits: RateLimitPolicy = DEFAULT_POLICY
    quirks: Quirks | None = None
    version: str = "1.0.0"
    exception_handler: Callable[[Request[Any, Any, Any], Exception], Any] | None = None
    """Renders every error itself (Subsonic's envelope in the format the call asked for);
    default: `error_format`."""
    prefix: str | None = None
    """The path it is served under when that is not its name (Subsonic players use /rest)."""
    document: Callable[[dict[str, Any], Litestar], None] | None = None
    """Completes the OpenAPI document, in place, after the kit (Subsonic documents its own
    protocol: the parameters its handlers read themselves, its envelope, its credentials)."""

    @property
    def mount(self) -> str:
        """The first path segment the PrefixDispatcher sends to this BFF."""
        return self.prefix or self.name


# The providers form one chain (edge → caller → viewer) on purpose: Litestar resolves
# independent dependencies concurrently in an anyio task group, which costs more per request
# than the providers themselves; chained, each is resolved with a plain await.


def provide_edge(request: Request[Any, Any, Any]) -> EdgeContext:
    """Inject the process's EdgeContext (services, settings)."""
    return EdgeContext.of(request.app.state)


def provide_caller(request: Request[Any, Any, Any], edge: NamedDependency[EdgeContext]) -> Caller:
    """Inject the authenticated caller (routes that opted out of auth have none)."""
    return authenticated(request)


def authenticated(request: Request[Any, Any, Any]) -> Caller:
    """The caller the gateway authenticated (401 on routes that opted out of auth): what the
    hot reads, which take the request itself instead of the injected chain, start from."""
    caller = caller_of(request.scope)
    if caller is None:
        raise client_id_required()
    return caller


def provide_viewer(caller: NamedDependency[Caller]) -> Viewer:
    """Inject the access Viewer of the authenticated caller."""
    return caller.viewer


def _provide(provider: Callable[..., Any]) -> Provide:
    """A provider run inline: the edge's providers never block."""
    if inspect.iscoroutinefunction(provider):
        return Provide(provider)
    return Provide(provider, sync_to_thread=False)


async def edge_headers_on_every_response(message: Message, scope: Scope) -> None:
    """Responses that never reached the gateway (unknown paths) still get the edge headers."""
    if message["type"] != "http.response.start":
        return
    state: Any = scope.get("state") or {}
    if state.get(headers.EDGE_HEADERS_SENT):
        return
    raw = list(message.get("headers", []))
    if any(name.lower() == headers.REQUEST_ID for name, _ in raw):
        return
    request_id = state.get("request_id") or headers.request_id_of([])
    message["headers"] = headers.outgoing(raw, request_id)


async def allow_names_every_method(message: Message, scope: Scope) -> None:
    """The automatic OPTIONS answer's `Allow` lists every method of its path. (Litestar builds
    it when a path's first handler is registered, so it misses the methods of handlers added
    to the same path later, e.g. PATCH and DELETE beside GET.)"""
    if message["type"] != "http.response.start" or scope.get("method") != "OPTIONS":
        return
    handler = scope.get("route_handler")
    if handler is None or not is_automatic_options(handler):
        return
    method_map = scope["app"].route_handler_method_map
    methods = {str(m) for path in handler.paths for m in method_map.get(path, {})}
    if not methods:
        return
    allow = ", ".join(sorted(methods)).encode()
    raw = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"allow"]
    message["headers"] = [*raw, (b"allow", allow)]


async def before_send(message: Message, scope: Scope) -> None:
    """The BFF's one `before_send` hook (Litestar awaits each hook per message: one is
    cheaper than two): edge headers where the gateway added none, `Allow` naming every
    method."""
    if message["type"] != "http.response.start":
        return
    state: Any = scope.get("state") or {}
    if not state.get(headers.EDGE_HEADERS_SENT):  # (the gateway's own answers: nothing to add)
        await edge_headers_on_every_response(message, scope)
    if scope.get("method") == "OPTIONS":
        await allow_names_every_method(message, scope)


def _tracing(bff: str, ctx: EdgeContext) -> list[DefineMiddleware]:
    """The request-span middleware, only when tracing is on (no cost otherwise)."""
    if ctx.tracer_provider is None:
        return []
    tracer = ctx.tracer()
    assert tracer is not None
    trusted = ctx.settings.trusted_proxies
    return [DefineMiddleware(TraceRequests, bff=bff, tracer=tracer, trusted=trusted)]


def build_bff_app(spec: BFFSpec, ctx: EdgeContext, *, mount_path: str = "") -> Litestar:
    """The BFF as an ASGI app; served under `mount_path` by create_app, or alone.

    Every BFF also answers `GET /whoami`; the operator's RATE_LIMIT_* settings override the
    spec's budgets. Refuses (RouteDeclarationError) a route without a typed security
    declaration or with a body limit of its own (kit.body_limit); the BFF's OpenAPI document
    and docs pages under /schema are open.
    """
    settings = ctx.settings
    limits = BodyLimits(body=settings.max_body_bytes, max_upload=settings.max_upload_bytes)
    config = GatewayConfig(
        bff=spec.name,
        error_format=spec.error_format,
        rate_limits=spec.rate_limits.overridden(
            app=settings.rate_limit_app_per_minute,
            user=settings.rate_limit_user_per_minute,
            writes=settings.rate_limit_writes_per_minute,
            address=settings.rate_limit_media_per_minute,
            anonymous=settings.rate_limit_anonymous_per_minute,
        ),
        quirks=spec.quirks,
        cors=CorsPolicy(settings.cors_for(spec.name)),
        hosts=settings.hosts_answered,
        body_limits=limits,
    )
    app = Litestar(
        route_handlers=[*spec.route_handlers, whoami],
        middleware=[
            *_tracing(spec.name, ctx),
            DefineMiddleware(Gateway, config=config),
        ],
        exception_handlers={
            Exception: spec.exception_handler or exception_handler(spec.error_format)
        },
        dependencies={
            "caller": _provide(provide_caller),
            "viewer": _provide(provide_viewer),
            "edge": _provide(provide_edge),
            **{name: _provide(provider) for name, provider in spec.dependencies.items()},
        },
        state=State({STATE_KEY: ctx}),
        before_request=strict_json_body,
        before_send=[before_send],
        openapi_config=OpenAPIConfig(
            title=spec.title,
            version=spec.version,
            description=spec.description,
            servers=[Server(url=mount_path or "/")],
            openapi_router=docs_router(),
            render_plugins=[
                OfflineSwagger(),  # at /schema and /schema/swagger: works offline
                OfflineRedoc(),  # at /schema/redoc: works offline
                *render_plugins(spec.error_schema, spec.document),
            ],
        ),
        debug=ctx.settings.debug,
        logging_config=litestar_logging(),  # (the process logs through kit.logs)
        request_max_body_size=limits.upload,  # (the gateway keeps each route's own, smaller)
    )
    check_declarations(app, spec.name)
    check_body_limits(app, spec.name)
    return app
