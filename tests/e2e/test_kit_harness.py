"""A small test BFF built with the kit, served over HTTP, with a controllable clock.

Imported by the other tests/e2e/test_kit_*.py modules (it holds fixtures, no tests).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import msgspec
import pytest
from anyio.from_thread import start_blocking_portal
from litestar import Litestar, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.testing import AsyncTestClient

from app.edge.kit import links
from app.edge.kit.auth import signed_in_user
from app.edge.kit.bff import BFFSpec, build_bff_app
from app.edge.kit.caller import Caller
from app.edge.kit.context import EdgeContext
from app.edge.kit.gateway import caller_of
from app.edge.kit.quirks import Quirk, Quirks
from app.edge.kit.ratelimit import Budget, RateLimitPolicy
from app.edge.kit.representation import Encoded
from app.edge.kit.routes import CATALOG, OPEN, READ, USER_READ, WRITE, Security, declare
from app.main import build_context
from app.value_added.access import Viewer
from app.value_added.common import errors as vas
from app.value_added.identity import AppInfo
from tests.e2e.conftest import settings_for

log = logging.getLogger("tests.kit")

ERRORS: dict[str, Exception] = {
    "not_found": vas.NotFound("no such thing"),
    "invalid": vas.InvalidArgument("limit is too big", field="limit"),
    "denied": vas.PermissionDenied("not yours"),
    "conflict": vas.Conflict("already there"),
    "too_large": vas.PayloadTooLarge("too big"),
    "media_type": vas.UnsupportedMediaType("not audio"),
    "unprocessable": vas.Unprocessable("cannot decode"),
    "exhausted": vas.ResourceExhausted("upload quota used up"),
}
STATUS = {
    "not_found": 404,
    "invalid": 400,
    "denied": 403,
    "conflict": 409,
    "too_large": 413,
    "media_type": 415,
    "unprocessable": 422,
    "exhausted": 429,
}


@get("/catalog", opt=CATALOG, sync_to_thread=False)
def catalog(
    request: Request[Any, Any, Any], limit: FromQuery[int] = 2, genre: FromQuery[str] = ""
) -> dict[str, Any]:
    caller = caller_of(request.scope)
    territory = caller.viewer.territory if caller else None
    return {
        "items": [{"id": i, "genre": genre} for i in range(limit)],
        "territory": territory,
        "next_href": links.next_href(request, "CURSOR2"),
    }


@get("/listing", opt=CATALOG, sync_to_thread=False)
def listing(request: Request[Any, Any, Any], genre: FromQuery[str] = "") -> dict[str, Any]:
    caller = caller_of(request.scope)
    return {"items": [{"id": 1, "genre": genre}], "app": caller.app.id if caller else None}


@get("/encoded/listing", opt=CATALOG, sync_to_thread=False)
def encoded_listing(
    request: Request[Any, Any, Any], genre: FromQuery[str] = ""
) -> Response[dict[str, Any]]:
    """/listing's body, encoded once in the handler (kit.representation)."""
    return Encoded(listing.fn(request, genre))


@get("/encoded/track", opt=READ, sync_to_thread=False)
def encoded_track() -> Response[dict[str, Any]]:
    return Encoded(track.fn())


@post("/encoded/things", opt=declare(Security(auth="app", scope="write")), sync_to_thread=False)
def encoded_thing(caller: NamedDependency[Caller]) -> Response[dict[str, Any]]:
    return Encoded(create_thing.fn(caller), status_code=201)


@get("/me", opt=READ, sync_to_thread=False)
def me(caller: NamedDependency[Caller]) -> dict[str, Any]:
    log.info("personalised read for %s", caller.user_id)
    return {"user_id": caller.user_id, "app_id": caller.app.id}


@post("/things", opt=declare(Security(auth="app", scope="write")), sync_to_thread=False)
def create_thing(caller: NamedDependency[Caller]) -> dict[str, Any]:
    return {"created_by": caller.user_id}


@get(
    "/insights",
    opt=declare(Security(auth="app", scope="insights", entitlement="insights")),
    sync_to_thread=False,
)
def insights() -> dict[str, int]:
    return {"plays": 42}


@get("/boom/{kind:str}", opt=READ, sync_to_thread=False)
def boom(kind: FromPath[str]) -> None:
    raise ERRORS[kind]


@get("/headers", opt=READ, sync_to_thread=False)
def echo_headers(request: Request[Any, Any, Any]) -> dict[str, Any]:
    return {"headers": dict(request.headers)}


@get("/track", opt=READ, sync_to_thread=False)
def track() -> dict[str, Any]:
    return {"title": "Song", "artwork": {"url": "https://img/x.jpg"}}


@get("/open", opt=OPEN, sync_to_thread=False)
def open_route() -> dict[str, str]:
    return {"open": "yes"}


@get("/mine", opt=USER_READ, sync_to_thread=False)
def mine(viewer: NamedDependency[Viewer]) -> dict[str, int]:
    return {"user_id": signed_in_user(viewer)}


@post("/mine", opt=WRITE, sync_to_thread=False)
def change_mine(viewer: NamedDependency[Viewer]) -> dict[str, int]:
    return {"changed_by": signed_in_user(viewer)}


def _flatten_artwork(body: Any) -> Any:
    """Mobile < 4.3 expects `artwork_url` instead of an `artwork` object."""
    body["artwork_url"] = body.pop("artwork")["url"]
    return body


QUIRKS = Quirks([Quirk("SoundstackMobile", before=(4, 3), since=(4, 0), fix=_flatten_artwork)])
HANDLERS = [
    catalog,
    me,
    create_thing,
    insights,
    boom,
    echo_headers,
    track,
    open_route,
    mine,
    change_mine,
    listing,
    encoded_listing,
    encoded_track,
    encoded_thing,
]
TIGHT = RateLimitPolicy(
    budgets=(
        Budget("app", 6, 60, "app"),
        Budget("user", 4, 60, "user"),
        Budget("user-writes", 2, 60, "user", writes_only=True),
    )
)


def spec(name: str = "mobile", policy: RateLimitPolicy | None = None) -> BFFSpec:
    return BFFSpec(
        name=name,
        title=f"Test {name}",
        description="a BFF built by the kit tests",
        route_handlers=HANDLERS,
        rate_limits=policy or RateLimitPolicy(budgets=()),
        quirks=QUIRKS,
    )


class Clock:
    """A settable clock for the identity service (token expiry)."""

    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


class Kit(msgspec.Struct):
    """The test BFF's client, its EdgeContext and the identity clock."""

    client: AsyncTestClient[Litestar]
    ctx: EdgeContext
    clock: Clock

    async def new_app(
        self,
        name: str,
        bffs: tuple[str, ...] = ("mobile", "web"),
        entitlements: tuple[str, ...] = ("read", "write"),
    ) -> AppInfo:
        identity = self.ctx.services.identity
        created = await identity.create_app(name, list(bffs), list(entitlements))
        info = await identity.app_by_client_id(created.client_id)
        assert info is not None
        return info

    async def new_user(self, username: str, country: str | None = "DE") -> int:
        identity = self.ctx.services.identity
        return (await identity.create_user(username, "correct horse battery", country)).id

    async def token(self, app: AppInfo, user_id: int | None = None) -> str:
        identity = self.ctx.services.identity
        if user_id is None:
            return (await identity.issue_client_credentials(app)).access_token
        return (await identity.issue_for_user(app, user_id)).access_token


async def serve(
    database_url: str, tmp_path: Path, *specs: BFFSpec, **settings: Any
) -> AsyncIterator[tuple[list[AsyncTestClient[Litestar]], EdgeContext, Clock]]:
    """Serve each spec as its own app on ONE EdgeContext (one rate-limit store).

    The apps share one blocking portal, i.e. one event loop, so the Redis connections of the
    shared context are only ever used (and closed) on that loop.
    """
    clock = Clock()
    ctx = build_context(settings_for(database_url, tmp_path, **settings), clock=clock)
    clients = [
        AsyncTestClient(build_bff_app(s, ctx), base_url="http://testserver.local") for s in specs
    ]
    with start_blocking_portal() as portal:
        try:
            for c in clients:
                c.blocking_portal = portal
                await c.__aenter__()
            yield clients, ctx, clock
        finally:
            for c in clients:
                await c.__aexit__(None, None, None)
            portal.call(ctx.close)


@pytest.fixture
async def kit(sqlite_url: str, tmp_path: Path) -> AsyncIterator[Kit]:
    async for (client,), ctx, clock in serve(sqlite_url, tmp_path, spec()):
        yield Kit(client=client, ctx=ctx, clock=clock)
