"""The media edge's declaration for the kit: signed stream/preview/download/artwork delivery."""

from __future__ import annotations

from app.edge.kit.bff import BFFSpec
from app.edge.kit.ratelimit import Budget, RateLimitPolicy
from app.edge.media.routes import delivery

MEDIA_REQUESTS_PER_MINUTE = 1_200
"""Per client address (RATE_LIMIT_MEDIA_PER_MINUTE overrides it). A player streaming HLS asks
for a 10-second segment about every 10 s (6 a minute, a few more when it seeks), a progressive
player a few ranges per seek, a page of 50 tracks 50 artworks: 1,200 a minute (20 a second)
leaves a household or office behind one address room for dozens of listeners and full pages,
and stops one client replaying a URL thousands of times. Behind a CDN or load balancer, list
it in TRUSTED_PROXIES so the client's own address (X-Forwarded-For) is counted."""


def spec() -> BFFSpec:
    return BFFSpec(
        name="media",
        title="Soundstack media delivery",
        description="Signed, short-lived URLs for streams, previews, downloads and artwork.",
        route_handlers=delivery.ROUTES,
        rate_limits=RateLimitPolicy(
            budgets=(Budget("media", MEDIA_REQUESTS_PER_MINUTE, 60, "address"),)
        ),
    )
