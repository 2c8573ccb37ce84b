"""Stars and plays: star/unstar (a song is liked, an album liked, an artist followed),
scrobble and reportPlayback (plays)."""

from __future__ import annotations

from litestar import Response
from litestar.di import NamedDependency

from app.edge.subsonic import errors
from app.edge.subsonic.dependencies import Player
from app.edge.subsonic.document import Doc, boolean, choice, ids, integer
from app.edge.subsonic.errors import SubsonicError, invalid
from app.edge.subsonic.params import Ref
from app.edge.subsonic.routes import PLAYER_WRITE, endpoint

STATES = ("starting", "playing", "paused", "stopped")
STARS = Doc(
    (
        ids("id", ("track", "album", "artist"), "Songs, albums or artists", many=True),
        ids("albumId", ("album",), "Albums", many=True),
        ids("artistId", ("artist",), "Artists", many=True),
    )
)
"""At least one id of any of the three (none: error 10); an artist's singles are refused
(error 0): star their songs."""


def _targets(player: Player) -> list[Ref]:
    call = player.call
    refs = list(
        dict.fromkeys(
            [
                *call.refs("id", "track", "album", "singles", "artist"),
                *call.refs("albumId", "album", "singles"),
                *call.refs("artistId", "artist"),
            ]
        )
    )
    if not refs:
        raise errors.missing("id")
    if any(r.kind == "singles" for r in refs):
        raise SubsonicError(errors.GENERIC, "an artist's singles cannot be starred; star the songs")
    return refs


async def _star(player: Player, on: bool) -> None:
    services, viewer = player.services, player.viewer
    for ref in _targets(player):
        if ref.kind == "track":
            await (services.tracks.like if on else services.tracks.unlike)(viewer, ref.id)
        elif ref.kind == "album":
            await (services.playlists.like if on else services.playlists.unlike)(viewer, ref.id)
        else:
            await (services.users.follow if on else services.users.unfollow)(viewer, ref.id)


@endpoint("star", "Star songs (like), albums (like) or artists (follow)", PLAYER_WRITE, STARS)
async def star(player: NamedDependency[Player]) -> Response[bytes]:
    await _star(player, True)
    return player.ok()


@endpoint("unstar", "Unstar songs, albums or artists", PLAYER_WRITE, STARS)
async def unstar(player: NamedDependency[Player]) -> Response[bytes]:
    await _star(player, False)
    return player.ok()


@endpoint(
    "scrobble",
    "Count plays of songs (submission=false: now playing, not counted)",
    PLAYER_WRITE,
    Doc(
        (
            ids("id", ("track",), "The songs played", required=True, many=True),
            boolean("submission", "A play (false: now playing)", default=True),
        )
    ),
)
async def scrobble(player: NamedDependency[Player]) -> Response[bytes]:
    refs = player.call.refs("id", "track")
    if not refs:
        raise errors.missing("id")
    services, viewer = player.services, player.viewer
    if player.call.boolean("submission", True):
        for ref in refs:
            await services.tracks.record_play(viewer, ref.id)
        return player.ok()
    wanted = [r.id for r in refs]  # now playing: not counted, still error 70 if not visible
    if len(await services.tracks.visible_ids(viewer, wanted)) != len(set(wanted)):
        raise errors.not_found()
    return player.ok()


@endpoint(
    "reportPlayback",
    "Report playback; a play is counted when it starts",
    PLAYER_WRITE,
    Doc(
        (
            ids("mediaId", ("track",), "The song", required=True),
            choice("mediaType", ("song",), "What is played (Soundstack has no podcasts)"),
            choice("state", STATES, "The player's state"),
            integer("positionMs", 0, 10**10, "Where in the song", required=True),
            boolean("ignoreScrobble", "Do not count the start as a play", default=False),
        )
    ),
)
async def report_playback(player: NamedDependency[Player]) -> Response[bytes]:
    call = player.call
    ref = call.ref("mediaId", "track")
    media_type = call.required("mediaType")
    if media_type != "song":
        raise invalid("mediaType", "must be 'song' (Soundstack has no podcasts)")
    state = call.required("state")
    if state not in STATES:
        raise invalid("state", f"must be one of {', '.join(STATES)}")
    if not call.has("positionMs"):
        raise errors.missing("positionMs")
    call.integer("positionMs", 0, 0, 10**10)
    if state == "starting" and not call.boolean("ignoreScrobble", False):
        await player.services.tracks.record_play(player.viewer, ref.id)
    elif not await player.services.tracks.visible_ids(player.viewer, [ref.id]):
        raise errors.not_found()
    return player.ok()


ROUTES = [star, unstar, scrobble, report_playback]
