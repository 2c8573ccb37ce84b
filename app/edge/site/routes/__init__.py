"""What the site's routes share: the services, where pages live (SITE_URL) and rendering."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request
from litestar.response import Template

from app.edge.kit.context import EdgeContext
from app.edge.kit.links import base_url
from app.edge.site import session
from app.value_added.common.fieldmask import FieldMask
from app.value_added.registry import Services

NAME_MASK = FieldMask(["username"])


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
        name,
        context={
            "site": site_of(request),
            "server": server_of(request),
            "here": request.url.path,
            **context,
        },
    )


class Visitor(msgspec.Struct, frozen=True):
    """A signed-in listener as the pages show them (their name, their session's CSRF token)."""

    name: str
    csrf: str
    session: session.Session


async def visitor(request: Request[Any, Any, Any]) -> Visitor | None:
    """The signed-in listener of this request, or None."""
    found = await session.session_of(request)
    if found is None:
        return None
    me = await services_of(request).users.get(found.viewer, found.user_id, NAME_MASK)
    return Visitor(name=str(me.username), csrf=found.csrf, session=found)
