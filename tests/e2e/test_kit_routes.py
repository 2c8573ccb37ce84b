"""The start-up check: a BFF whose route lacks a typed security declaration refuses to start."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest
from litestar import Router, get

from app import main
from app.edge.kit.bff import BFFSpec, build_bff_app
from app.edge.kit.context import EdgeContext
from app.edge.kit.routes import CATALOG, READ, SECURITY_KEY, RouteDeclarationError, Security
from app.main import build_context, create_app
from tests.e2e.conftest import settings_for


@pytest.fixture
def ctx(sqlite_url: str, tmp_path: Path) -> Iterator[EdgeContext]:
    yield build_context(settings_for(sqlite_url, tmp_path))


def _spec(*handlers: Any) -> BFFSpec:
    return BFFSpec(name="test", title="test", description="test", route_handlers=list(handlers))


def _route(**opt: Any) -> Any:
    @get("/planted", opt=opt or None, sync_to_thread=False)
    def planted() -> dict[str, str]:
        return {}

    return planted


@get("/fine", opt=READ, sync_to_thread=False)
def fine() -> dict[str, str]:
    return {}


PLANTED: dict[str, Callable[[], Any]] = {
    "misspelt key": lambda: _route(securty=READ[SECURITY_KEY]),
    "old-style catalog flag": lambda: _route(catalog=True),
    "old-style auth flag": lambda: _route(auth="none"),
    "extra key beside the declaration": lambda: _route(**CATALOG, entitlement="insights"),
    "no declaration": lambda: _route(),
    "a plain dict": lambda: _route(security={"auth": "app", "scope": "read"}),
    "open but cached": lambda: _route(security=Security(auth="none", scope=None, catalog=True)),
    "self-authenticated but cached": lambda: _route(
        security=Security(auth="bff", scope="read", catalog=True)
    ),
    "self-authenticated without a scope": lambda: _route(security=Security(auth="bff", scope=None)),
    "self-authenticated with an app entitlement": lambda: _route(
        security=Security(auth="bff", scope="read", entitlement="insights")
    ),
}


@pytest.mark.parametrize("planted", PLANTED, ids=list(PLANTED))
def test_build_bff_app_refuses_an_undeclared_route(ctx: EdgeContext, planted: str) -> None:
    with pytest.raises(RouteDeclarationError) as refused:
        build_bff_app(_spec(fine, PLANTED[planted]()), ctx)
    assert "'planted' (GET /planted)" in str(refused.value)
    assert "test BFF" in str(refused.value)


def test_a_router_level_typo_reaches_every_route_below_it(ctx: EdgeContext) -> None:
    router = Router("/v1", route_handlers=[fine], opt={"catalgo": True})
    with pytest.raises(RouteDeclarationError, match=r"'fine' \(GET /v1/fine\).*'catalgo'"):
        build_bff_app(_spec(router), ctx)


def test_declared_routes_and_the_openapi_pages_start(ctx: EdgeContext) -> None:
    app = build_bff_app(_spec(fine), ctx)
    paths = app.route_handler_method_map
    assert "/fine" in paths and "/whoami" in paths and "/schema/openapi.json" in paths


def test_create_app_refuses_a_bff_with_a_misspelt_declaration(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = main._bff_specs()
    planted = _route(securty=READ[SECURITY_KEY])
    web = real["web"]()
    with_planted = msgspec.structs.replace(web, route_handlers=[*web.route_handlers, planted])
    specs = dict(real, web=lambda: with_planted)
    monkeypatch.setattr(main, "_bff_specs", lambda: specs)
    with pytest.raises(RouteDeclarationError, match="'securty'"):
        create_app(settings_for(sqlite_url, tmp_path))
