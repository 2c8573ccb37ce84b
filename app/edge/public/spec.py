"""The public BFF's declaration for the edge kit: its routes, error format and limits."""

from __future__ import annotations

from app.edge.kit.bff import BFFSpec
from app.edge.public.dependencies import provide_embedder
from app.edge.public.errors import ERROR_SCHEMA, soundcloud_error
from app.edge.public.routes import likes, me, oauth, playlists, reposts, resolve, tracks, users


def spec() -> BFFSpec:
    routes = [
        *me.ROUTES,
        *tracks.ROUTES,
        *playlists.ROUTES,
        *users.ROUTES,
        *likes.ROUTES,
        *reposts.ROUTES,
        *resolve.ROUTES,
        *oauth.ROUTES,
    ]
    return BFFSpec(
        name="public",
        title="Soundstack Public API (SoundCloud public API compatible)",
        description=(
            "Soundstack Public API: a drop-in subset of SoundCloud's public API. "
            "Authenticate with `Authorization: OAuth <token>` (client credentials for public "
            "data, authorization code + PKCE at /auth for user data)."
        ),
        route_handlers=routes,
        dependencies={"embed": provide_embedder},
        error_format=soundcloud_error,
        error_schema=ERROR_SCHEMA,
    )
