"""The site's router: its routes, templates, page headers and its 404 page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Request, Response, Router
from litestar.connection import ASGIConnection
from litestar.exceptions import NotFoundException
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from app.edge.kit import hosts
from app.edge.kit.context import EdgeContext
from app.edge.kit.errors import EdgeError, exception_handler, plain_error_format
from app.edge.kit.routes import OPEN
from app.edge.site import limits
from app.edge.site.routes import account, oembed, pages, player, site_of
from app.value_added.common.errors import NotFound

HERE = Path(__file__).parent
PAGE_CSP = (
    "default-src 'self'; img-src 'self' data:; media-src 'self' blob:; script-src 'self'; "
    "style-src 'self'; connect-src 'self'; worker-src 'self' blob:; frame-ancestors *"
)
"""Pages and the player run our own scripts only, and may be framed by any site (embeds)."""


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(directory=HERE / "templates", engine=JinjaTemplateEngine)


def _not_found(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A hidden track, user or set is the same page as a missing one (no difference leaks)."""
    return Template("404.html", context={"site": site_of(request)}, status_code=404)


def _allowed_host(connection: ASGIConnection[Any, Any, Any, Any], _: Any) -> None:
    """Pages link to themselves: a Host that is not allowed is a 400 (kit.hosts)."""
    allowed = EdgeContext.of(connection.app.state).settings.hosts_answered
    if not hosts.is_allowed(connection.headers.get("host"), allowed):
        raise hosts.invalid_host()


async def _page_headers(response: Response[Any]) -> Response[Any]:
    response.headers["content-security-policy"] = PAGE_CSP
    response.headers["cross-origin-resource-policy"] = "cross-origin"  # embeddable anywhere
    response.headers.setdefault("cache-control", "no-store")
    return response


def site_router() -> Router:
    """Everything the site serves at `/` (the BFFs keep their prefixes before it)."""
    assets = create_static_files_router(
        "/assets", directories=[HERE / "assets"], name="site_assets", opt=OPEN
    )
    return Router(
        "/",
        route_handlers=[assets, *oembed.ROUTES, *player.ROUTES, *account.ROUTES, *pages.ROUTES],
        guards=[_allowed_host],
        exception_handlers={
            NotFound: _not_found,
            NotFoundException: _not_found,
            EdgeError: exception_handler(plain_error_format),
        },
        before_request=limits.count_request,
        after_request=_page_headers,
        include_in_schema=False,
        opt=OPEN,
    )
