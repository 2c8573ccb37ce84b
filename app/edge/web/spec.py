"""The web BFF's declaration for the edge kit: its routes, error format and limits."""

from __future__ import annotations

from app.edge.kit import player_access
from app.edge.kit.bff import BFFSpec
from app.edge.web.dependencies import (
    provide_playlist_list,
    provide_track_list,
    provide_user_list,
)
from app.edge.web.errors import ERROR_SCHEMA, web_error_format
from app.edge.web.routes import activity, playlists, search, tracks, users


def spec() -> BFFSpec:
    return BFFSpec(
        name="web",
        title="Soundstack Web API (api-v2 compatible)",
        description=(
            "Soundstack Web API: the paths and JSON shapes of SoundCloud's api-v2, so web "
            "frontends and api-v2 clients work with only their base URL changed."
        ),
        route_handlers=[
            *users.ROUTES,
            *activity.ROUTES,
            *tracks.ROUTES,
            *playlists.ROUTES,
            *search.ROUTES,
            *player_access.ROUTES,
        ],
        dependencies={
            "track_list": provide_track_list,
            "playlist_list": provide_playlist_list,
            "user_list": provide_user_list,
        },
        error_format=web_error_format,
        error_schema=ERROR_SCHEMA,
    )
