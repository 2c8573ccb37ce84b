"""The play queue: a player saves what it is playing, another picks it up (getPlayQueue,
savePlayQueue)."""

from __future__ import annotations

from litestar import Response
from litestar.di import NamedDependency

from app.edge.subsonic import mappers
from app.edge.subsonic import representations as rep
from app.edge.subsonic.dependencies import Player
from app.edge.subsonic.document import Doc, ids, integer
from app.edge.subsonic.embedding import SONG_MASK
from app.edge.subsonic.routes import PLAYER_WRITE, endpoint
from app.value_added.tracks import PlayQueueDraft

MAX_QUEUE = 1000
"""Most songs a saved queue holds (the Tracks VAS's limit too)."""


@endpoint(
    "getPlayQueue",
    "Your saved play queue (empty when none was saved)",
    doc=Doc(answer=("playQueue", rep.PlayQueue)),
)
async def get_play_queue(player: NamedDependency[Player]) -> Response[bytes]:
    queue = await player.services.tracks.play_queue(player.viewer, SONG_MASK)
    songs = await player.embed.songs(queue.tracks) if queue is not None else []
    return player.ok(playQueue=mappers.play_queue(queue, player.listener.username, songs))


@endpoint(
    "savePlayQueue",
    "Save your play queue (no id: clear it)",
    PLAYER_WRITE,
    Doc(
        (
            ids("id", ("track",), "The songs, in order", many=True, limit=MAX_QUEUE),
            ids("current", ("track",), "The song playing"),
            integer("position", 0, 2**53, "Where in the current song, ms", default=0),
        )
    ),
)
async def save_play_queue(player: NamedDependency[Player]) -> Response[bytes]:
    call = player.call
    songs = [ref.id for ref in call.refs("id", "track", limit=MAX_QUEUE)]
    current = call.ref("current", "track").id if call.has("current") else None
    draft = PlayQueueDraft(
        track_ids=tuple(songs),
        current=current,
        position_ms=call.integer("position", 0, 0, 2**53),
        client=call.one("c") or "",
    )
    await player.services.tracks.save_play_queue(player.viewer, draft)
    return player.ok()


ROUTES = [get_play_queue, save_play_queue]
