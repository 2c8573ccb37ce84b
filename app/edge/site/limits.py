"""The site's rate limit: requests per client address, counted like the API's (kit.ratelimit)."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.response import Template

from app.edge.kit import headers, ratelimit
from app.edge.kit.context import EdgeContext
from app.edge.kit.errors import EdgeError
from app.edge.kit.ratelimit import Budget, RateLimitPolicy

SITE_REQUESTS_PER_MINUTE = 600
"""Per client address (RATE_LIMIT_SITE_PER_MINUTE overrides it). A page view is one request
here (its audio, artwork and waveform count against the media edge's budget, its static assets
against none): 600 a minute leaves a household or office behind one address room for many
readers, and stops one client crawling every page in a loop."""
_UNCOUNTED = ("/assets/",)
"""Static files: cheap, cached, and part of every page."""


def policy(settings_limit: int | None) -> RateLimitPolicy:
    limit = settings_limit if settings_limit is not None else SITE_REQUESTS_PER_MINUTE
    return RateLimitPolicy(budgets=(Budget("site", limit, 60, "address"),))


async def count_request(request: Request[Any, Any, Any]) -> Response[Any] | None:
    """Count the request against the address's budget; beyond it a 429 (page or JSON)."""
    if request.scope["path"].startswith(_UNCOUNTED):
        return None
    ctx = EdgeContext.of(request.app.state)
    peer = request.client.host if request.client else None
    address = headers.client_address(peer, request.scope["headers"], ctx.settings.trusted_proxies)
    limits = policy(ctx.settings.rate_limit_site_per_minute)
    try:
        await ratelimit.check(ctx.limits, "site", limits, None, request.method, address)
    except EdgeError as exc:
        return _refused(request, exc)
    return None


def _refused(request: Request[Any, Any, Any], exc: EdgeError) -> Response[Any]:
    wants_page = request.method == "GET" and "text/html" in request.headers.get("accept", "")
    if wants_page:
        return Template("429.html", context={}, status_code=429, headers=exc.headers)
    body = {"code": 429, "error": exc.info.reason, "message": exc.info.message}
    return Response(body, status_code=429, headers=exc.headers, media_type="application/json")
