"""The web BFF's declaration for the edge kit: its routes, error format and limits."""

from __future__ import annotations

from typing import Any

from litestar import Router
from litestar.di import Provide

from app.edge.kit import player_access
from app.edge.kit.bff import BFFSpec
from app.edge.web.errors import web_error_format
from app.edge.web.lists import provide_list_query
from app.edge.web.routes import activity, playlists, search, tracks, users


def spec() -> BFFSpec:
    router = Router(
        path="/",
        route_handlers=_routes(),
        dependencies={"listing": Provide(provide_list_query, sync_to_thread=False)},
    )
    return BFFSpec(
        name="web",
        title="Soundstack Web API (api-v2 compatible)",
        description=(
            "Soundstack Web API: the paths and JSON shapes of SoundCloud's api-v2, so web "
            "frontends and api-v2 clients work with only their base URL changed."
        ),
        route_handlers=[router],
        error_format=web_error_format,
    )


def _routes() -> list[Any]:
    return [
        users.me,
        users.user,
        users.follows,
        users.related_artists,
        users.user_comments,
        users.user_tracks,
        users.user_playlists,
        users.web_profiles,
        users.conversations,
        users.emails,
        activity.play_history,
        activity.my_stream,
        activity.user_stream,
        activity.user_likes,
        tracks.track,
        tracks.tracks_by_ids,
        tracks.track_albums,
        tracks.track_playlists,
        tracks.track_comments,
        tracks.track_likers,
        tracks.track_reposters,
        tracks.track_related,
        tracks.tag_tracks,
        tracks.original_download,
        tracks.stream_url,
        playlists.playlist,
        playlists.create_playlist,
        playlists.delete_playlist,
        playlists.playlist_likers,
        playlists.playlist_reposters,
        search.search_all,
        search.search_tracks,
        search.search_users,
        search.search_sets,
        search.resolve,
        *player_access.ROUTES,
    ]
