"""Absolute links built from the request: resource URLs and `next_href` keeping the filters."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Request

from app.edge.kit import hosts
from app.edge.kit.context import EdgeContext
from app.edge.kit.headers import value_of


def base_url(request: Request[Any, Any, Any]) -> str:
    """Scheme://host[:port] of this deployment: BASE_URL when configured, else the request's
    when its Host is allowed (the gateway refuses other Hosts), else the server's address."""
    settings = EdgeContext.of(request.app.state).settings
    if settings.base_url:
        return settings.base_url
    scope = request.scope
    host = value_of(scope["headers"], b"host")
    if not hosts.is_allowed(host, settings.hosts_answered):
        return hosts.server_root(scope)
    root = scope.get("root_path", "")
    if host and scope.get("server") and scope.get("app_root_path", root) in ("", root):
        # (what Litestar's base_url gives without the mount, read from the raw headers)
        return f"{scope.get('scheme', 'http')}://{host.decode('latin-1')}"
    return str(request.base_url).rstrip("/").removesuffix(root)


def absolute(
    request: Request[Any, Any, Any], path: str, params: dict[str, Any] | None = None
) -> str:
    """An absolute URL for `path` (which starts at the host root, e.g. `/web/tracks/1`)."""
    query = f"?{urlencode(params, doseq=True)}" if params else ""
    return f"{base_url(request)}{path}{query}"


def mount_path(request: Request[Any, Any, Any]) -> str:
    """The prefix this BFF is mounted under (`/web`), or '' when served alone."""
    return str(request.scope.get("root_path", "")).rstrip("/")


def next_href(
    request: Request[Any, Any, Any], cursor: str | None, cursor_param: str = "cursor"
) -> str | None:
    """The next page's absolute URL: this request's path and filters with the new cursor.

    Credentials passed in the query (oauth_token) are not copied into links.
    """
    if cursor is None:
        return None
    params = [
        (k, v)
        for k, v in request.query_params.multi_items()
        if k not in (cursor_param, "oauth_token")
    ]
    params.append((cursor_param, cursor))
    path = mount_path(request) + request.scope["path"].removeprefix(mount_path(request))
    return f"{base_url(request)}{path}?{urlencode(params)}"


class Links:
    """The absolute URLs one request's representations link to, its roots computed once:
    resources of this BFF (`api`), anything else of the deployment (`site`), next pages."""

    def __init__(self, request: Request[Any, Any, Any]) -> None:
        self.request = request
        self.site_root = base_url(request)
        self.api_root = self.site_root + mount_path(request)
        self.page_root = EdgeContext.of(request.app.state).settings.site_url or self.site_root

    def api(self, path: str, params: dict[str, Any] | None = None) -> str:
        """A resource of this BFF: `/tracks/1` -> `https://host/web/tracks/1`."""
        query = f"?{urlencode(params, doseq=True)}" if params else ""
        return f"{self.api_root}{path}{query}"

    def site(self, path: str) -> str:
        """A path of the deployment outside this BFF (`/media/...`, permalink pages)."""
        return self.site_root + path

    def page(self, path: str) -> str:
        """A permalink page (`/alice/night-drive`) under SITE_URL, else this server's."""
        return self.page_root + path

    def media(self, path: str) -> str:
        """A media path (`/media/...`) made absolute; an absolute URL stays as it is."""
        return path if path.startswith(("http://", "https://")) else self.site_root + path

    def next_href(self, cursor: str | None, cursor_param: str = "cursor") -> str | None:
        return next_href(self.request, cursor, cursor_param)
