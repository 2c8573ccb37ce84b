"""The Subsonic BFF's providers: the parsed call, the authenticated player (Subsonic's own
credentials: an API key, or the player password as token+salt or plain) with its rate limits,
and the offset→cursor memory that lets offset paging run on keyset listings.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

from litestar import Request, Response
from litestar.di import NamedDependency

from app.caching.budget import size_of
from app.caching.lru import ByteBoundedLRU
from app.edge.kit import headers, links, ratelimit
from app.edge.kit.caller import Caller
from app.edge.kit.context import EdgeContext
from app.edge.kit.ratelimit import Attempts, Budget, RateLimitPolicy
from app.edge.kit.routes import security_of
from app.edge.subsonic import errors
from app.edge.subsonic import representations as rep
from app.edge.subsonic.embedding import Embedder
from app.edge.subsonic.errors import SubsonicError
from app.edge.subsonic.params import Call, read_call
from app.value_added.access import Viewer
from app.value_added.common.cursor import Page
from app.value_added.identity import AppInfo, Listener
from app.value_added.registry import Services

T = TypeVar("T")

PLAYERS = AppInfo(
    id=0,
    client_id="subsonic",
    name="Subsonic players",
    owner_id=None,
    redirect_uris=(),
    bffs=frozenset({"subsonic"}),
    entitlements=frozenset({"read", "write"}),
)
"""Music players are not registered apps: rate limits count per user (never per app), and the
viewer they act as has no app."""
SUBSONIC_LIMITS = RateLimitPolicy(
    budgets=(
        Budget("user", 1_200, 60, "user"),
        Budget("user-writes", 120, 60, "user", writes_only=True),
    )
)
"""Players page through whole libraries (syncing): a generous read budget per user; writes are
the endpoints that change something (star, scrobble, playlists), whatever the HTTP method."""
FAILURE_WINDOW = 300
FAILURES_PER_ADDRESS = 30
FAILURES_PER_USER_AT_ADDRESS = 10
"""Failed sign-ins per 5 minutes: per client address, and per username at that address (so a
guesser elsewhere cannot lock the real user out). Only failures count."""
PAGES_STATE = "subsonic_offset_cursors"


class Player:
    """The authenticated player of one request: who, what they may see, and helpers."""

    def __init__(self, call: Call, edge: EdgeContext, listener: Listener, viewer: Viewer):
        self.call = call
        self.edge = edge
        self.services: Services = edge.services
        self.listener = listener
        self.viewer = viewer
        self.embed = Embedder(edge.services, viewer)

    def ok(self, **body: Any) -> Response[bytes]:
        return rep.ok(self.call.format, self.call.callback, **body)

    def absolute(self, path: str) -> str:
        return links.absolute(self.call.request, path)

    @property
    def pages(self) -> OffsetCursors:
        return offset_cursors(self.call.request)


async def provide_call(request: Request[Any, Any, Any]) -> Call:
    return await read_call(request)


async def provide_player(
    request: Request[Any, Any, Any],
    call: NamedDependency[Call],
    edge: NamedDependency[EdgeContext],
) -> Player:
    """The authenticated player; a route declared PLAYER_WRITE counts against the write budget."""
    writes = security_of(request.route_handler).scope == "write"
    return await _player(request, call, edge, writes=writes)


async def _player(
    request: Request[Any, Any, Any], call: Call, edge: EdgeContext, *, writes: bool
) -> Player:
    call.check_protocol()
    peer = request.client.host if request.client else "unknown"
    listener = await authenticate(edge, call, peer)
    hdrs = request.scope["headers"]
    territory = headers.territory_of(headers.value_of(hdrs, headers.TERRITORY_HEADER.encode()))
    viewer = listener.viewer(territory)
    caller = Caller(app=PLAYERS, principal=None, viewer=viewer)
    settings = edge.settings
    policy = SUBSONIC_LIMITS.overridden(
        user=settings.rate_limit_user_per_minute, writes=settings.rate_limit_writes_per_minute
    )
    decisions = await ratelimit.check(
        edge.limits, "subsonic", policy, caller, "POST" if writes else "GET"
    )
    state = request.scope.setdefault("state", {})
    state["caller"] = caller
    state["rate_limit_headers"] = ratelimit.raw_headers_for(decisions)
    return Player(call, edge, listener, viewer)


async def authenticate(edge: EdgeContext, call: Call, peer: str) -> Listener:
    """The listener the call's credentials name; a SubsonicError (40, 43, 44, 10) otherwise."""
    identity = edge.services.identity
    api_key = call.one("apiKey")
    username, password, token, salt = (call.one(n) for n in ("u", "p", "t", "s"))
    address = f"subsonic:ip:{peer}"
    if api_key is not None:
        if any(v is not None for v in (username, password, token, salt)):
            raise SubsonicError(
                errors.CONFLICTING_MECHANISMS,
                "give either apiKey, or u with p or t and s — not both",
            )
        attempts = Attempts(((address, FAILURES_PER_ADDRESS),), FAILURE_WINDOW)
        return await _attempt(
            edge,
            attempts,
            errors.INVALID_API_KEY,
            "invalid API key",
            identity.player_by_api_key(api_key),
        )
    if not username:
        raise errors.missing("u")
    attempts = Attempts(
        (
            (address, FAILURES_PER_ADDRESS),
            (f"subsonic:user:{username.lower()[:64]}@{peer}", FAILURES_PER_USER_AT_ADDRESS),
        ),
        FAILURE_WINDOW,
    )
    if token is not None or salt is not None:
        if not token or not salt:
            raise errors.missing("s" if token else "t")
        check = identity.player_by_token(username, token, salt)
    elif password is not None:
        check = identity.player_by_password(username, _plain(password))
    else:
        raise SubsonicError(
            errors.MISSING_PARAMETER, "required parameter 'p' or 't' and 's' is missing"
        )
    return await _attempt(
        edge, attempts, errors.WRONG_CREDENTIALS, "wrong username or password", check
    )


async def _attempt(
    edge: EdgeContext,
    attempts: Attempts,
    code: int,
    message: str,
    check: Awaitable[Listener | None],
) -> Listener:
    wait = await ratelimit.attempts_blocked(edge.limits, attempts)
    if wait is not None:
        close = getattr(check, "close", None)
        if callable(close):
            close()  # (the credential is never checked while blocked)
        raise SubsonicError(
            code,
            f"too many failed sign-ins; retry in {wait} s",
            headers={"Retry-After": str(wait)},
        )
    found = await check
    if found is None:
        await ratelimit.count_failure(edge.limits, attempts)
        raise SubsonicError(code, message)
    return found


def _plain(password: str) -> str:
    """`p` as given, or decoded from Subsonic's `enc:<hex>` form (undecodable: as given)."""
    if not password.startswith("enc:"):
        return password
    try:
        return bytes.fromhex(password[4:]).decode("utf-8")
    except ValueError:
        return password


class OffsetCursors:
    """Where an offset of a listing starts: (keyset cursor, items to skip in that page),
    remembered for the offset right after each page served, so a client paging with
    size/offset reads each keyset page once instead of walking from the start. Least recently
    used out first beyond the budget's `positions` share."""

    def __init__(self, max_bytes: int) -> None:
        self._entries: ByteBoundedLRU[Hashable, tuple[str | None, int]] = ByteBoundedLRU(
            "positions", max_bytes
        )

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> tuple[str | None, int] | None:
        return self._entries.get(key)

    def put(self, key: Hashable, position: tuple[str | None, int]) -> None:
        self._entries.put(key, position, size_of((repr(key), position)))


def offset_cursors(request: Request[Any, Any, Any]) -> OffsetCursors:
    state = request.app.state
    found = state.get(PAGES_STATE)
    if not isinstance(found, OffsetCursors):
        found = OffsetCursors(EdgeContext.of(state).services.cache_budget.positions)
        state[PAGES_STATE] = found
    return found


Fetch = Callable[[str | None, int], Awaitable[Page[T]]]
PAGE = 200
MAX_READS = 100


async def window(
    cursors: OffsetCursors, key: Hashable, fetch: Fetch[T], offset: int, size: int
) -> list[T]:
    """Items offset..offset+size of a keyset listing read with `fetch(cursor, limit)`."""
    cursor, skip = cursors.get((key, offset)) or (None, offset)
    found: list[T] = []
    for _ in range(MAX_READS):
        page = await fetch(cursor, PAGE)
        if skip >= len(page.items) and page.next_cursor is not None:
            skip -= len(page.items)
            cursor = page.next_cursor
            continue
        taken = page.items[skip : skip + size - len(found)]
        found.extend(taken)
        used = skip + len(taken)
        skip = 0
        if len(found) >= size:
            done = used >= len(page.items)
            cursors.put((key, offset + size), (page.next_cursor, 0) if done else (cursor, used))
            return found
        if page.next_cursor is None:
            return found
        cursor = page.next_cursor
    raise SubsonicError(
        errors.GENERIC, "offset is too far into this list for one request; page through it"
    )
