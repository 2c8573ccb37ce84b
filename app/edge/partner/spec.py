"""The partner BFF's declaration for the edge kit: its routes, error format and limits."""

from __future__ import annotations

from app.edge.kit.bff import BFFSpec
from app.edge.kit.ratelimit import Budget, RateLimitPolicy
from app.edge.partner.errors import partner_error_format
from app.edge.partner.routes import audit, creators, insights, playlists, tracks

RATE_LIMITS = RateLimitPolicy(
    budgets=(
        Budget("partner-app", 3_000, 60, "app"),
        Budget("partner-app-writes", 120, 60, "app", writes_only=True),
        Budget("partner-user-writes", 30, 60, "user", writes_only=True),
    )
)
"""Stricter than the consumer BFFs (15,000 / 60 s per app): a partner works in bulk reads,
and its writes change other people's catalogs."""


def spec() -> BFFSpec:
    return BFFSpec(
        name="partner",
        title="Soundstack Partner API",
        description=(
            "Catalog management and reporting for labels and distributors acting for the "
            "creators who granted their app access. Needs the `partner:catalog` (and for "
            "insights `partner:insights`) entitlement; every write is audited (GET /audit)."
        ),
        route_handlers=[
            *creators.ROUTES,
            *tracks.ROUTES,
            *playlists.ROUTES,
            *insights.ROUTES,
            *audit.ROUTES,
        ],
        error_format=partner_error_format,
        rate_limits=RATE_LIMITS,
    )
