"""System endpoints: ping, license, extensions, token info, folders, the user, and answers
for endpoints Soundstack does not implement."""

from __future__ import annotations

from litestar import Response, route
from litestar.di import NamedDependency
from litestar.params import FromPath

from app.edge.kit.routes import OPEN
from app.edge.subsonic import errors
from app.edge.subsonic import representations as rep
from app.edge.subsonic.dependencies import Player
from app.edge.subsonic.document import Doc, text
from app.edge.subsonic.errors import SubsonicError
from app.edge.subsonic.params import Call
from app.edge.subsonic.routes import METHODS, endpoint

FOLDER = rep.MusicFolder(id=1, name="Soundstack")
"""One music folder: the whole catalogue the caller may see."""
EXTENSIONS = [
    rep.Extension(name="apiKeyAuthentication", versions=[1]),
    rep.Extension(name="formPost", versions=[1]),
    rep.Extension(name="playbackReport", versions=[1]),
]
"""Exactly the OpenSubsonic extensions that work here (each has a contract test)."""
NOT_IMPLEMENTED = frozenset(
    {
        "getNowPlaying", "getVideos", "getVideoInfo", "getCaptions", "getAlbumInfo",
        "getArtistInfo", "getSimilarSongs", "getLyricsBySongId", "search", "setRating",
        "getPlayQueueByIndex", "savePlayQueueByIndex",
        "getShares", "createShare", "updateShare", "deleteShare", "getPodcasts",
        "getNewestPodcasts", "refreshPodcasts", "createPodcastChannel", "deletePodcastChannel",
        "deletePodcastEpisode", "downloadPodcastEpisode", "getPodcastEpisode", "jukeboxControl",
        "getInternetRadioStations", "createInternetRadioStation", "updateInternetRadioStation",
        "deleteInternetRadioStation", "getChatMessages", "addChatMessage", "getUsers",
        "createUser", "updateUser", "deleteUser", "changePassword", "getBookmarks",
        "createBookmark", "deleteBookmark", "getScanStatus", "startScan", "getAvatar", "hls",
        "getTranscodeDecision", "getTranscodeStream",
    }
)  # fmt: skip


@endpoint("ping", "Check the connection and the credentials")
async def ping(player: NamedDependency[Player]) -> Response[bytes]:
    return player.ok()


@endpoint(
    "getLicense",
    "The license (always valid: Soundstack is free software)",
    doc=Doc(answer=("license", rep.License)),
)
async def get_license(player: NamedDependency[Player]) -> Response[bytes]:
    return player.ok(license=rep.License(valid=True))


@endpoint(
    "getOpenSubsonicExtensions",
    "The OpenSubsonic extensions supported (no credentials)",
    OPEN,
    Doc(answer=("openSubsonicExtensions", list[rep.Extension])),
)
async def get_open_subsonic_extensions(call: NamedDependency[Call]) -> Response[bytes]:
    return rep.ok(call.format, call.callback, openSubsonicExtensions=EXTENSIONS)


@endpoint("tokenInfo", "Whose credentials these are", doc=Doc(answer=("tokenInfo", rep.TokenInfo)))
async def token_info(player: NamedDependency[Player]) -> Response[bytes]:
    return player.ok(tokenInfo=rep.TokenInfo(username=player.listener.username))


@endpoint(
    "getMusicFolders",
    "The music folders (one: the catalogue)",
    doc=Doc(answer=("musicFolders", rep.MusicFolders)),
)
async def get_music_folders(player: NamedDependency[Player]) -> Response[bytes]:
    return player.ok(musicFolders=rep.MusicFolders(music_folder=[FOLDER]))


@endpoint(
    "getUser",
    "The signed-in user and what they may do (only oneself: another is error 50)",
    doc=Doc(
        (text("username", "The user (your own username)", required=True),),
        ("user", rep.User),
    ),
)
async def get_user(player: NamedDependency[Player]) -> Response[bytes]:
    username = player.call.required("username")
    if username != player.listener.username:
        raise SubsonicError(errors.NOT_AUTHORIZED, "you may only read your own user")
    return player.ok(
        user=rep.User(
            username=username,
            scrobbling_enabled=True,
            admin_role=False,
            settings_role=False,
            download_role=True,
            upload_role=False,
            playlist_role=True,
            cover_art_role=True,
            comment_role=False,
            podcast_role=False,
            stream_role=True,
            jukebox_role=False,
            share_role=False,
            video_conversion_role=False,
            folder=[FOLDER.id],
        )
    )


@route(["/{name:str}"], http_method=METHODS, opt=OPEN, include_in_schema=False)
async def unknown(name: FromPath[str], call: NamedDependency[Call]) -> Response[bytes]:
    """Any other endpoint: error 0 naming it (never an HTTP 404 a player cannot read)."""
    endpoint_name = name.removesuffix(".view")
    if endpoint_name in NOT_IMPLEMENTED:
        message = f"{endpoint_name} is not implemented by Soundstack"
    else:
        message = f"unknown endpoint {endpoint_name[:64]!r}"
    return rep.failed(call.format, call.callback, errors.GENERIC, message)


ROUTES = [
    ping,
    get_license,
    get_open_subsonic_extensions,
    token_info,
    get_music_folders,
    get_user,
    unknown,
]
