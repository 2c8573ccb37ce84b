"""Where things live, from the request: API resource URIs and site permalinks."""

from __future__ import annotations

from typing import Any

from litestar import Request

from app.edge.kit import links


class Links:
    """Absolute URLs of this deployment's Public API (`api`) and web pages (`site`)."""

    def __init__(self, request: Request[Any, Any, Any]) -> None:
        self.request = request
        self.site_root = links.base_url(request)
        self.api_root = self.site_root + links.mount_path(request)

    def api(self, path: str) -> str:
        return self.api_root + path

    def site(self, *segments: str) -> str:
        return self.site_root + "/" + "/".join(segments)

    def media(self, path: str) -> str:
        """A media path (`/media/...`) or an absolute URL, made absolute."""
        return path if path.startswith(("http://", "https://")) else self.site_root + path

    def next_href(self, cursor: str | None) -> str | None:
        return links.next_href(self.request, cursor)
