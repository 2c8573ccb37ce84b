"""The mobile BFF's declaration for the edge kit: its routes, error format and limits."""

from __future__ import annotations

from app.edge.kit import player_access
from app.edge.kit.bff import BFFSpec
from app.edge.kit.ratelimit import Budget, RateLimitPolicy
from app.edge.mobile.dependencies import (
    provide_embedder,
    provide_playlist_listing,
    provide_track_listing,
    provide_user_listing,
)
from app.edge.mobile.errors import ERROR_SCHEMA, mobile_error
from app.edge.mobile.quirks import mobile_quirks
from app.edge.mobile.routes import me, playlists, search, tracks, users

DESCRIPTION = """Soundstack Mobile API: large documents that embed related entities (owners,
tracks, counts, the signed-in user's state) so an app needs few round trips.

Ids are numbers, timestamps ISO-8601 UTC. Lists are `{"collection": [...], "next_href": ...}`
paged with `limit` (default 50, max 200) and `cursor`; follow `next_href` until it is null.
Reads return the full aggregate unless `fields=` names the parts wanted. Errors are
`{"error": {"code", "message", "field"}}`. Commands need a user's access token."""

MOBILE_LIMITS = RateLimitPolicy(
    budgets=(
        Budget("app", 15_000, 60, "app"),
        Budget("user", 600, 60, "user"),
        Budget("user-writes", 60, 60, "user", writes_only=True),
    )
)
"""Mobile documents are large, so a user needs fewer reads than on other BFFs."""


def spec() -> BFFSpec:
    return BFFSpec(
        name="mobile",
        title="Soundstack Mobile API",
        description=DESCRIPTION,
        route_handlers=[
            *tracks.ROUTES,
            *playlists.ROUTES,
            *users.ROUTES,
            *me.ROUTES,
            *search.ROUTES,
            *player_access.ROUTES,
        ],
        dependencies={
            "embed": provide_embedder,
            "tracks_listing": provide_track_listing,
            "playlists_listing": provide_playlist_listing,
            "users_listing": provide_user_listing,
        },
        error_format=mobile_error,
        error_schema=ERROR_SCHEMA,
        rate_limits=MOBILE_LIMITS,
        quirks=mobile_quirks(),
    )
