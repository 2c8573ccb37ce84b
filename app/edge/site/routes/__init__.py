"""What the site's routes share: the services, where pages live (SITE_URL) and rendering."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.response import Template

from app.edge.kit.context import EdgeContext
from app.edge.kit.links import base_url
from app.value_added.registry import Services


def services_of(request: Request[Any, Any, Any]) -> Services:
    return EdgeContext.of(request.app.state).services


def server_of(request: Request[Any, Any, Any]) -> str:
    """This server's root URL: the player, oEmbed and media are served here."""
    return base_url(request)


def site_of(request: Request[Any, Any, Any]) -> str:
    """Where the permalink pages live: SITE_URL, else this server."""
    return EdgeContext.of(request.app.state).settings.site_url or base_url(request)


def page(name: str, request: Request[Any, Any, Any], **context: Any) -> Template:
    """A page rendered with what every template needs (the pages' and this server's roots)."""
    return Template(
        name, context={"site": site_of(request), "server": server_of(request), **context}
    )
