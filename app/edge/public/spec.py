"""The public BFF's declaration for the edge kit: its routes, error format and limits."""

from __future__ import annotations

from app.edge.kit.bff import BFFSpec
from app.edge.public import me, misc, playlists, social, track_writes, tracks, users
from app.edge.public.errors import soundcloud_error


def spec() -> BFFSpec:
    return BFFSpec(
        name="public",
        title="Soundstack Public API (SoundCloud public API compatible)",
        description=(
            "Soundstack Public API: a drop-in subset of SoundCloud's public API. "
            "Authenticate with `Authorization: OAuth <token>` (client credentials for public "
            "data, authorization code + PKCE at /auth for user data)."
        ),
        route_handlers=[
            *me.ROUTES,
            *tracks.ROUTES,
            *track_writes.ROUTES,
            *playlists.ROUTES,
            *users.ROUTES,
            *social.ROUTES,
            *misc.ROUTES,
        ],
        error_format=soundcloud_error,
    )
