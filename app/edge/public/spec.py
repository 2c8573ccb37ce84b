"""The public BFF's declaration for the edge kit: its routes, error format and limits."""

from __future__ import annotations

from litestar import Router
from litestar.di import Provide

from app.edge.kit.bff import BFFSpec
from app.edge.public.dependencies import provide_embedder, provide_query
from app.edge.public.errors import soundcloud_error
from app.edge.public.routes import likes, me, oauth, playlists, reposts, resolve, tracks, users


def spec() -> BFFSpec:
    router = Router(
        path="/",
        route_handlers=[
            *me.ROUTES,
            *tracks.ROUTES,
            *playlists.ROUTES,
            *users.ROUTES,
            *likes.ROUTES,
            *reposts.ROUTES,
            *resolve.ROUTES,
            *oauth.ROUTES,
        ],
        dependencies={
            "parameters": Provide(provide_query, sync_to_thread=False),
            "embed": Provide(provide_embedder, sync_to_thread=False),
        },
    )
    return BFFSpec(
        name="public",
        title="Soundstack Public API (SoundCloud public API compatible)",
        description=(
            "Soundstack Public API: a drop-in subset of SoundCloud's public API. "
            "Authenticate with `Authorization: OAuth <token>` (client credentials for public "
            "data, authorization code + PKCE at /auth for user data)."
        ),
        route_handlers=[router],
        error_format=soundcloud_error,
    )
