"""Each BFF's API docs pages: Swagger UI (`/schema`) and ReDoc (`/schema/redoc`) served from
files vendored in `assets/swagger-ui` and `assets/redoc` (swagger-ui-dist and redoc, pinned; see
their READMEs), so the pages work without any network under a CSP that allows our files only."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from litestar import Request, Router
from litestar.datastructures import CacheControlHeader, ResponseHeader
from litestar.openapi.plugins import OpenAPIRenderPlugin
from litestar.static_files import create_static_files_router

from app.edge.kit.routes import OPEN

ASSETS = Path(__file__).parent / "assets" / "swagger-ui"
REDOC_ASSETS = Path(__file__).parent / "assets" / "redoc"
ASSETS_PATH = "/assets"
"""Under the BFF's /schema router: `/<bff>/schema/assets/swagger-ui-bundle.js` …"""
DOCS_CSP = ResponseHeader(
    name="content-security-policy",
    value=(
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; worker-src blob:; frame-ancestors 'none'"
    ),
)
"""The docs pages run our vendored scripts only (no inline script, nothing from elsewhere);
ReDoc starts its search index in a worker it makes from its own bundle (a blob: URL)."""


def _page(
    plugin: OpenAPIRenderPlugin,
    request: Request[Any, Any, Any],
    openapi_schema: dict[str, Any],
    head: str,
    body: str,
) -> bytes:
    """A docs page titled after the document; `{assets}` and `{spec}` in `head` and `body` name
    the vendored assets' path and the document's URL (both under this BFF's /schema)."""
    spec = request.scope.get("root_path", "") + plugin.get_openapi_json_route(request)
    names = {"assets": spec.rsplit("/", 1)[0] + ASSETS_PATH, "spec": html.escape(spec)}
    title = html.escape(str(openapi_schema.get("info", {}).get("title", "API")))
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
{head.format(**names)}</head>
<body>
{body.format(**names)}</body>
</html>
"""
    return page.encode()


class OfflineSwagger(OpenAPIRenderPlugin):
    """Swagger UI at `/schema` and `/schema/swagger`, its scripts and styles from this server."""

    def __init__(self) -> None:
        super().__init__(path=["/", "/swagger"])

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        return _page(
            self,
            request,
            openapi_schema,
            head='<link rel="stylesheet" href="{assets}/swagger-ui.css">\n',
            body=(
                '<div id="swagger-ui" data-spec="{spec}"></div>\n'
                '<script src="{assets}/swagger-ui-bundle.js"></script>\n'
                '<script src="{assets}/init.js"></script>\n'
            ),
        )

    def receive_router(self, router: Router) -> None:
        router.register(
            create_static_files_router(
                ASSETS_PATH,
                directories=[ASSETS, REDOC_ASSETS],
                name="docs_assets",
                opt=OPEN,
                cache_control=CacheControlHeader(max_age=86_400, public=True),
            )
        )


class OfflineRedoc(OpenAPIRenderPlugin):
    """ReDoc at `/schema/redoc`, its script from this server (it starts itself on the
    `<redoc spec-url>` element: no inline script)."""

    def __init__(self) -> None:
        super().__init__(path="/redoc")

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        return _page(
            self,
            request,
            openapi_schema,
            head="",
            body=(
                '<redoc spec-url="{spec}"></redoc>\n'
                '<script src="{assets}/redoc.standalone.js"></script>\n'
            ),
        )


def docs_router() -> Router:
    """The `/schema` router every BFF serves its OpenAPI document and docs page under."""
    return Router(
        "/schema",
        route_handlers=[],
        include_in_schema=False,
        opt=OPEN,
        response_headers=[DOCS_CSP],
    )
