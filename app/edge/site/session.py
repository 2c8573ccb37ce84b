"""Signing in to the site: its own public OAuth app, the authorization-code + PKCE flow through
the auth BFF, and the session it leaves — the access token in an HttpOnly SameSite cookie
(never in a URL, a page or a script) plus a CSRF token derived from it for the site's writes."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import secrets
import time
from typing import Any
from urllib.parse import urlencode

import msgspec
from litestar import Request

from app.edge.kit.context import EdgeContext
from app.value_added.access import Viewer
from app.value_added.common.errors import Conflict, Unauthenticated
from app.value_added.identity import AppInfo

SESSION_COOKIE = "soundstack_session"
FLOW_COOKIE = "soundstack_signin"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
CALLBACK = "/signin/callback"
FLOW_SECONDS = 600
SITE_APP = "Soundstack site"
SCOPES = "read write"


class Flow(msgspec.Struct, frozen=True):
    """One sign-in under way: kept in a signed cookie until the callback."""

    state: str
    verifier: str
    next: str
    expires: int


class Session(msgspec.Struct, frozen=True):
    viewer: Viewer
    user_id: int
    csrf: str


def _key(secret_key: str, purpose: str) -> bytes:
    return hmac.new(secret_key.encode(), f"soundstack/site/{purpose}".encode(), "sha256").digest()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def site_client_id(secret_key: str) -> str:
    """The site's own OAuth client id, derived from SECRET_KEY (the same in every process)."""
    return "site-" + _b64(_key(secret_key, "client-id"))[:24]


def safe_next(target: str | None) -> str:
    """Where to land after signing in: a path on this site, never another host."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    return target[:2000]


def callback_url(server: str) -> str:
    return server + CALLBACK


async def site_app(request: Request[Any, Any, Any], server: str) -> AppInfo | None:
    """The site's public app (registered on first use with this server's callback); None when
    it exists for another address (set BASE_URL so every request names the same one)."""
    ctx = EdgeContext.of(request.app.state)
    identity = ctx.services.identity
    client_id = site_client_id(ctx.settings.secret_key)
    app = await identity.app_by_client_id(client_id)
    if app is None:
        with contextlib.suppress(Conflict):  # another process registered it meanwhile
            await identity.create_app(
                SITE_APP,
                ["web"],
                ["read", "write"],
                [callback_url(server)],
                client_id=client_id,
                public=True,
            )
        app = await identity.app_by_client_id(client_id)
    if app is None or callback_url(server) not in app.redirect_uris:
        return None
    return app


def pkce_challenge(verifier: str) -> str:
    return _b64(hashlib.sha256(verifier.encode()).digest())


def start(secret_key: str, target: str, now: float | None = None) -> tuple[Flow, str]:
    """A new flow and its signed cookie value."""
    moment = time.time() if now is None else now
    flow = Flow(
        state=secrets.token_urlsafe(24),
        verifier=secrets.token_urlsafe(48),
        next=safe_next(target),
        expires=int(moment) + FLOW_SECONDS,
    )
    payload = _b64(msgspec.json.encode(flow))
    mac = _b64(hmac.new(_key(secret_key, "flow"), payload.encode(), "sha256").digest())
    return flow, f"{payload}.{mac}"


def authorize_url(server: str, app: AppInfo, flow: Flow) -> str:
    query = {
        "response_type": "code",
        "client_id": app.client_id,
        "redirect_uri": callback_url(server),
        "scope": SCOPES,
        "state": flow.state,
        "code_challenge": pkce_challenge(flow.verifier),
        "code_challenge_method": "S256",
    }
    return f"{server}/auth/authorize?{urlencode(query)}"


def flow_of(secret_key: str, cookie: str | None, now: float | None = None) -> Flow | None:
    """The flow of a signed, unexpired cookie; None for anything else."""
    payload, _, mac = (cookie or "").partition(".")
    if not payload or not mac:
        return None
    wanted = _b64(hmac.new(_key(secret_key, "flow"), payload.encode(), "sha256").digest())
    if not hmac.compare_digest(mac, wanted):
        return None
    try:
        flow = msgspec.json.decode(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        found = msgspec.convert(flow, Flow)
    except (ValueError, msgspec.DecodeError, msgspec.ValidationError):
        return None
    return found if found.expires > (time.time() if now is None else now) else None


def csrf_token(secret_key: str, access_token: str) -> str:
    """The CSRF token of a session: bound to its access token, useless without the cookie."""
    bound = hashlib.sha256(access_token.encode()).digest()
    return _b64(hmac.new(_key(secret_key, "csrf"), bound, "sha256").digest())


async def session_of(request: Request[Any, Any, Any]) -> Session | None:
    """The signed-in session of this request (its cookie's token, valid and the site's)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    ctx = EdgeContext.of(request.app.state)
    try:
        principal = await ctx.services.identity.principal(token)
    except Unauthenticated:
        return None
    site = site_client_id(ctx.settings.secret_key)
    if principal is None or principal.user_id is None or principal.app.client_id != site:
        return None
    return Session(
        viewer=principal.viewer(),
        user_id=principal.user_id,
        csrf=csrf_token(ctx.settings.secret_key, token),
    )


def csrf_ok(session: Session, sent: str | None) -> bool:
    return bool(sent) and hmac.compare_digest(session.csrf, sent or "")
