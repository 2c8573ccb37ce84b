"""The gateway middleware every BFF runs: hygiene, request ids, auth, entitlements, rate limits,
conditional GET, cache headers and client quirks — in that order, in one pass — and, once
answered, the request's metrics and request line (the one ASGI layer of a BFF's routes)."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any
from urllib.parse import parse_qsl

import msgspec
from litestar import Request
from litestar.types import ASGIApp, Receive, Send

from app.caching.provenance import tracking
from app.edge.kit import body_limit, bounds, conditional, cors, headers, hosts, ratelimit
from app.edge.kit.access_log import request_id_var
from app.edge.kit.auth import client_id_required, require_scope, resolve_caller, user_required
from app.edge.kit.caller import Caller
from app.edge.kit.context import EdgeContext
from app.edge.kit.errors import EdgeError, ErrorFormat
from app.edge.kit.form_credentials import credentials_from_form
from app.edge.kit.metrics import RequestMetrics
from app.edge.kit.quirks import Quirks
from app.edge.kit.routes import security_of

READ_METHODS = frozenset({"GET", "HEAD"})
TERRITORY = headers.TERRITORY_HEADER.encode()
EDGE_RESPONSE = "edge_response"
"""Scope state: the request's gateway response, which a handler's encoded JSON body is handed
to (kit.representation)."""
JSON_TYPE = (b"content-type", b"application/json")


class GatewayConfig(msgspec.Struct, frozen=True):
    bff: str
    error_format: ErrorFormat
    rate_limits: ratelimit.RateLimitPolicy = ratelimit.DEFAULT_POLICY
    quirks: Quirks | None = None
    cors: cors.CorsPolicy = cors.CorsPolicy()
    hosts: tuple[str, ...] | None = None
    """The Host names answered (settings.hosts_answered; None: any)."""
    body_limits: body_limit.BodyLimits = body_limit.BodyLimits()


def caller_of(scope: Any) -> Caller | None:
    """The caller the gateway resolved for this request (None on unauthenticated routes)."""
    state = scope.get("state") or {}
    caller = state.get("caller")
    return caller if isinstance(caller, Caller) else None


def _has_credentials(scope: Any) -> bool:
    """Does the request carry an Authorization header or credentials in its query string?"""
    if any(name == b"authorization" for name, _ in scope["headers"]):
        return True
    query = scope.get("query_string", b"")
    return b"oauth_token=" in query or b"client_id=" in query


class Gateway:
    """ASGI middleware enforcing each route's typed declaration (app.edge.kit.routes): `auth`
    none / app / user (bff: passed to the BFF's own authentication), the route's `entitlement`
    (every write also needs `write`), and response caching of `catalog` reads."""

    def __init__(self, app: ASGIApp, config: GatewayConfig) -> None:
        self.app = app
        self.config = config
        self._open_routes_counted = config.rate_limits.counts_open_routes
        self._by_address = config.rate_limits.counts_addresses
        self._metrics = RequestMetrics(config.bff)

    async def __call__(self, scope: Any, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        response = _Response(send, scope, self.config)
        try:
            await self._serve(scope, receive, response)
        finally:  # (refusals, and failures no handler answered: 500, count too)
            self._metrics.observe(scope, response.status, started)
            response.done()

    async def _serve(self, scope: Any, receive: Receive, response: _Response) -> None:
        ctx = EdgeContext.of(scope["app"].state)
        client = scope.get("client")
        trusted = headers.is_trusted(client[0] if client else None, ctx.settings.trusted_proxies)
        scope["headers"] = headers.sanitize(scope["headers"], trusted)
        request_id = headers.request_id_of(scope["headers"])
        request_id_var.set(request_id)
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        method = scope["method"].upper()
        response.request_id, response.method = request_id, method
        origin = headers.value_of(scope["headers"], b"origin")
        if cors.is_preflight(method, scope["headers"]):  # answered before any authentication
            requested = headers.value_of(scope["headers"], b"access-control-request-headers")
            preflight = self.config.cors.preflight_headers(origin, requested)
            await response.no_content(preflight)
            return
        state["cors_headers"] = self.config.cors.response_headers(origin)
        form: dict[str, str] = {}
        try:
            if not hosts.is_allowed(headers.value_of(scope["headers"], b"host"), self.config.hosts):
                raise hosts.invalid_host()
            bounds.reject_nul_in_target(scope)
            limit, reason = self.config.body_limits.of(security_of(scope["route_handler"]))
            receive = body_limit.bounded(scope, receive, limit, reason)
            receive = bounds.guard_body(scope, receive)
            if method not in READ_METHODS and not _has_credentials(scope):
                form, receive = await credentials_from_form(scope, receive)
            caller = await self._authorize(ctx, scope, method, form)
        except EdgeError as exc:
            await response.error(exc, self.config.error_format, scope)
            return
        state["caller"] = caller
        state[EDGE_RESPONSE] = response
        response.caller = caller
        key = self._representation_key(scope, method, caller) if ctx.responses.enabled else None
        if key is None:
            await self.app(scope, receive, response.send)
            return
        found = ctx.responses.get(key)
        if found is not None:
            await response.deliver(200, found.headers, found.body, found.etag)
            return
        with tracking() as provenance:
            response.keep = lambda hdrs, body, tag: ctx.responses.put(
                key, hdrs, body, tag, provenance
            )
            await self.app(scope, receive, response.send)

    def _representation_key(self, scope: Any, method: str, caller: Caller | None) -> Hashable:
        """The response cache key of a catalogue GET: the URL, everything about the caller a
        representation may depend on, and the headers the BFF varies on (None: not cached)."""
        if method != "GET" or caller is None:
            return None
        if not security_of(scope["route_handler"]).catalog:
            return None
        principal = caller.principal
        hdrs = scope["headers"]
        agent = headers.value_of(hdrs, b"user-agent") if self.config.quirks else None
        return (
            self.config.bff,
            scope.get("scheme"),  # links are absolute, built from the request's own base URL
            headers.value_of(hdrs, b"host"),
            scope.get("root_path"),
            scope["path"],
            scope.get("query_string", b""),
            caller.app.id,
            caller.app.entitlements,
            caller.viewer,
            principal.scopes if principal is not None else None,
            agent,
        )

    async def _authorize(
        self, ctx: EdgeContext, scope: Any, method: str, form: dict[str, str]
    ) -> Caller | None:
        security = security_of(scope["route_handler"])
        if security.auth in ("none", "bff"):  # bff: the BFF's own dependency authenticates
            if self._open_routes_counted:  # (unauthenticated here: only per-address budgets)
                await self._limit(ctx, scope, method, None)
            return None
        hdrs = scope["headers"]
        query = form
        raw_query: bytes = scope.get("query_string", b"")
        if b"oauth_token=" in raw_query or b"client_id=" in raw_query:  # all auth reads there
            query = form | dict(parse_qsl(raw_query.decode("latin-1")))
        caller = await resolve_caller(
            ctx.services.identity,
            (headers.value_of(hdrs, b"authorization") or b"").decode("latin-1") or None,
            query,
            headers.territory_of(headers.value_of(hdrs, TERRITORY)),
        )
        if caller is None:
            raise client_id_required()
        if self.config.bff not in caller.app.bffs:
            raise EdgeError(
                403, "bff_not_entitled", f"this app may not call the {self.config.bff} API"
            )
        needed = security.entitlement or ("write" if method not in READ_METHODS else None)
        if needed and needed not in caller.app.entitlements:
            raise EdgeError(403, "not_entitled", f"this app lacks the {needed!r} entitlement")
        await self._limit(ctx, scope, method, caller)
        if security.auth == "user" and caller.user_id is None:
            raise user_required()
        require_scope(caller, security.scope)
        return caller

    async def _limit(
        self, ctx: EdgeContext, scope: Any, method: str, caller: Caller | None
    ) -> None:
        """Count the request against the BFF's budgets (429 beyond one); note the headers."""
        address = None
        if self._by_address:
            client = scope.get("client")
            peer = client[0] if client else None
            address = headers.client_address(peer, scope["headers"], ctx.settings.trusted_proxies)
        decisions = await ratelimit.check(
            ctx.limits, self.config.bff, self.config.rate_limits, caller, method, address
        )
        state = scope.setdefault("state", {})
        state["rate_limit_headers"] = ratelimit.raw_headers_for(decisions)


class _Response:
    """Wraps `send`: adds edge headers, and for JSON GETs buffers the body for ETags/quirks."""

    def __init__(self, send: Any, scope: Any, config: GatewayConfig) -> None:
        self._downstream = send
        self.request_id = "-"
        self.method = scope["method"]
        self.status = 500
        """The status sent (500 until one is: what the metrics count a failure as)."""
        self._scope = scope
        self._config = config
        self._start: dict[str, Any] | None = None
        self._chunks: list[bytes] = []
        self._buffering = False
        self._finished = False
        """The representation was finished here (`encoded`): its messages pass as they are."""
        self.caller: Caller | None = None
        self.keep: Callable[[list[tuple[bytes, bytes]], bytes, bytes], None] | None = None
        """Set for cacheable requests: called with a finished 200 representation."""

    def done(self) -> None:
        """The request was answered: its scope no longer holds this response (which holds the
        scope), so what they hold is freed at once rather than by a garbage collection."""
        state = self._scope.get("state")
        if state is not None and state.get(EDGE_RESPONSE) is self:
            del state[EDGE_RESPONSE]

    async def _send(self, message: Any) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        await self._downstream(message)

    def _edge_headers(
        self, raw: list[tuple[bytes, bytes]], *, finished: bool = False
    ) -> list[tuple[bytes, bytes]]:
        """`raw` plus request id, security and rate-limit headers (`finished`: `raw` already
        went through headers.finished)."""
        state = self._scope.setdefault("state", {})
        state[headers.EDGE_HEADERS_SENT] = True
        done = raw if finished else headers.finished(raw)
        limits: list[tuple[bytes, bytes]] = state.get("rate_limit_headers") or []
        shared: list[tuple[bytes, bytes]] = state.get("cors_headers") or []
        if shared:  # an allowed origin may also load the resource cross-origin (media)
            replaced = {name for name, _ in shared if name == b"cross-origin-resource-policy"}
            done = [(n, v) for n, v in done if n not in replaced]
        return [*done, (headers.REQUEST_ID, self.request_id.encode()), *limits, *shared]

    async def send(self, message: Any) -> None:
        if self._finished:
            await self._send(message)
            return
        if message["type"] == "http.response.start":
            start = dict(message)
            start["headers"] = list(message.get("headers", []))
            ctype = dict(start["headers"]).get(b"content-type", b"")
            if self.method in READ_METHODS and ctype.startswith(b"application/json"):
                self._buffering = True
                self._start = start
                return
            start["headers"] = self._edge_headers(start["headers"])
            await self._send(start)
            return
        if message["type"] == "http.response.body" and self._buffering:
            self._chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            await self._flush()
            return
        await self._send(message)

    async def _flush(self) -> None:
        assert self._start is not None
        start = self._start
        body = self._chunks[0] if len(self._chunks) == 1 else b"".join(self._chunks)
        hdrs = [(n, v) for n, v in start["headers"] if n.lower() != b"content-length"]
        await self._finish(start["status"], hdrs, body, None)

    async def encoded(self, status: int, body: bytes, send: Send) -> None:
        """A handler's JSON body, encoded once (kit.representation): finished as a buffered
        JSON answer with only its content type would be, and sent through `send`."""
        if self.method not in READ_METHODS:  # (headers as any other answer to a write has)
            hdrs = self._edge_headers([JSON_TYPE, (b"content-length", b"%d" % len(body))])
            self._finished = True
            await send({"type": "http.response.start", "status": status, "headers": hdrs})
            await send({"type": "http.response.body", "body": body, "more_body": False})
            return
        await self._finish(status, None, body, send)

    async def _finish(
        self, status: int, hdrs: list[tuple[bytes, bytes]] | None, body: bytes, send: Send | None
    ) -> None:
        """A JSON GET's answer: quirks applied, an ETag and cache headers on a 200 (`hdrs`
        without content-length; None: the content type alone)."""
        fixes = self._config.quirks.fixes_for(self._user_agent()) if self._config.quirks else []
        if fixes and status < 400:
            decoded = msgspec.json.decode(body)
            for fix in fixes:
                decoded = fix(decoded)
            body = msgspec.json.encode(decoded)
        if status != 200:
            done = headers.finished([JSON_TYPE] if hdrs is None else hdrs)
            await self.deliver(status, done, body, None, send)
            return
        tag = conditional.etag_of(body)
        if hdrs is None:  # (what the general case below makes of them, without the look-ups)
            hdrs = [JSON_TYPE, (b"etag", tag), *self._cache_headers()]
        else:
            present = {n.lower() for n, _ in hdrs}
            hdrs.append((b"etag", tag))
            if b"cache-control" not in present:
                hdrs.append((b"cache-control", self._cache_control()))
            if b"vary" not in present:
                hdrs.append((b"vary", conditional.vary(quirks=bool(self._config.quirks))))
            hdrs = headers.finished(hdrs)
        if self.keep is not None:
            self.keep(hdrs, body, tag)
        await self.deliver(status, hdrs, body, tag, send)

    def _cache_control(self) -> bytes:
        # Only requests without a token may be shared: an app token is a credential too.
        anonymous = self.caller is None or self.caller.principal is None
        catalog = security_of(self._scope["route_handler"]).catalog
        return conditional.cache_control(anonymous, catalog)

    def _cache_headers(self) -> tuple[tuple[bytes, bytes], ...]:
        """Cache-Control, Vary and the security headers: what headers.finished makes of them
        after a content type and an ETag (one tuple per Cache-Control value, built once)."""
        key = (self._cache_control(), bool(self._config.quirks))
        found = _CACHE_HEADERS.get(key)
        if found is None:
            vary = (b"vary", conditional.vary(quirks=key[1]))
            found = tuple(headers.finished([(b"cache-control", key[0]), vary]))
            _CACHE_HEADERS[key] = found
        return found

    async def deliver(
        self,
        status: int,
        hdrs: list[tuple[bytes, bytes]],
        body: bytes,
        tag: bytes | None,
        send: Send | None = None,
    ) -> None:
        """Send a representation (its headers through headers.finished already) through `send`
        (a handler's, whose messages then pass here as they are; default: downstream): 304
        when the client holds it, per-request edge headers added."""
        if tag is not None and conditional.matches(
            headers.value_of(self._scope["headers"], b"if-none-match"), tag
        ):
            status, body = 304, b""
            hdrs = [(n, v) for n, v in hdrs if n.lower() != b"content-type"]
        if status != 304:  # (a new list: `hdrs` may be a cached representation's)
            hdrs = [*hdrs, (b"content-length", str(len(body)).encode())]
        if self.method == "HEAD":
            body = b""
        start: Any = {
            "type": "http.response.start",
            "status": status,
            "headers": self._edge_headers(hdrs, finished=True),
        }
        finish: Any = self._send
        if send is not None:
            finish, self._finished = send, True
        await finish(start)
        await finish({"type": "http.response.body", "body": body, "more_body": False})

    async def no_content(self, hdrs: list[tuple[bytes, bytes]]) -> None:
        """204 with `hdrs` and the edge headers (a CORS preflight's answer)."""
        start = {"type": "http.response.start", "status": 204, "headers": self._edge_headers(hdrs)}
        await self._send(start)
        await self._send({"type": "http.response.body", "body": b"", "more_body": False})

    def _user_agent(self) -> str | None:
        value = dict(self._scope["headers"]).get(b"user-agent")
        return value.decode("latin-1") if value else None

    async def error(self, exc: EdgeError, fmt: ErrorFormat, scope: Any) -> None:
        body = msgspec.json.encode(fmt(exc.info, Request(scope)))
        hdrs = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
        hdrs += [(k.lower().encode(), v.encode()) for k, v in exc.headers.items()]
        hdrs += [(b"cache-control", b"no-store")]
        start = {"type": "http.response.start", "status": exc.info.status, "headers": hdrs}
        start["headers"] = self._edge_headers(hdrs)
        await self._send(start)
        await self._send({"type": "http.response.body", "body": body, "more_body": False})


_CACHE_HEADERS: dict[tuple[bytes, bool], tuple[tuple[bytes, bytes], ...]] = {}
"""_Response._cache_headers by (Cache-Control, quirks): a handful of entries."""
