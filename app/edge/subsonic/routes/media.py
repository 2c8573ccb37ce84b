"""Media: stream, download and cover art answer with a redirect to the media edge's signed,
short-lived URL (which serves HTTP ranges, HEAD and conditional requests); the VAS decides
whether the caller may play, download or see each item, `stream` picks among the transcodings
it grants by `format` and `maxBitRate`. Lyrics: Soundstack keeps none.
"""

from __future__ import annotations

from collections.abc import Sequence

from litestar import Response
from litestar.di import NamedDependency
from litestar.response import Redirect

from app.edge.subsonic import errors
from app.edge.subsonic import representations as rep
from app.edge.subsonic.dependencies import Player
from app.edge.subsonic.document import Doc, ids, integer, text
from app.edge.subsonic.params import Ref
from app.edge.subsonic.routes import endpoint
from app.edge.subsonic.routes.browsing import album_ref
from app.value_added.common.fieldmask import FieldMask
from app.value_added.media import ARTWORK_SIZES, StreamGrant, artwork_url, download_path

ARTWORK_MASK = FieldMask(["artwork_key"])
SONG = ids("id", ("track",), "The song", required=True)


def _redirect(player: Player, path: str) -> Redirect:
    return Redirect(
        player.absolute(path), status_code=302, headers={"Cache-Control": "private, no-store"}
    )


@endpoint(
    "stream",
    "Play a song: redirects to its signed audio (the preview when that is all)",
    doc=Doc(
        (
            SONG,
            text("format", "The codec preferred (mp3, opus …; others: any)"),
            integer(
                "maxBitRate", 0, 10_000, "The highest bitrate wanted, kbps (0: any)", default=0
            ),
        ),
        redirect=True,
    ),
)
async def stream(player: NamedDependency[Player]) -> Redirect:
    call = player.call
    ref = call.ref("id", "track")
    wanted = (call.one("format") or "").strip().lower()
    max_kbps = call.integer("maxBitRate", 0, 0, 10_000)
    grants = await player.services.tracks.streams(player.viewer, ref.id)
    chosen = choose_stream(grants, wanted, max_kbps)
    if chosen is None:
        raise errors.not_found("this song's audio is not ready yet")
    return _redirect(player, chosen.url)


def choose_stream(grants: Sequence[StreamGrant], wanted: str, max_kbps: int) -> StreamGrant | None:
    """Of the progressive transcodings the caller may play, the one `format` and `maxBitRate`
    ask for: the codec named (`format` is a preference: another codec, or `raw` — originals are
    downloads — falls back to all of them, Soundstack does not transcode on request), then the
    highest bitrate at most `max_kbps` (0: no limit), else the lowest there is."""
    files = [g for g in grants if g.kind == "progressive"]
    same_codec = [g for g in files if _codec_and_kbps(g)[0] == wanted]
    candidates = same_codec or files
    if not candidates:
        return None
    by_rate = sorted(candidates, key=lambda g: _codec_and_kbps(g)[1])
    fitting = [g for g in by_rate if max_kbps == 0 or _codec_and_kbps(g)[1] <= max_kbps]
    return fitting[-1] if fitting else by_rate[0]


def _codec_and_kbps(grant: StreamGrant) -> tuple[str, int]:
    """`mp3_128` -> ("mp3", 128)."""
    codec, _, rate = grant.format.partition("_")
    return codec, int(rate) if rate.isdigit() else 0


@endpoint(
    "download",
    "Download a song's original file, where its owner allows downloads",
    doc=Doc((SONG,), redirect=True),
)
async def download(player: NamedDependency[Player]) -> Redirect:
    ref = player.call.ref("id", "track")
    grant = await player.services.tracks.download(player.viewer, ref.id)
    return _redirect(player, download_path(grant.token))


def _variant(size: int | None) -> str:
    """The smallest stored artwork size at least `size` pixels wide (None: the original)."""
    if size is None:
        return "original"
    fitting = sorted((edge, name) for name, (edge, _) in ARTWORK_SIZES.items() if edge >= size)
    return fitting[0][1] if fitting else "original"


async def _artwork_key(player: Player, ref: Ref) -> str | None:
    services, viewer = player.services, player.viewer
    if ref.kind == "track":
        track = await services.tracks.get(viewer, ref.id, ARTWORK_MASK)
        return track.artwork_key if isinstance(track.artwork_key, str) else None
    if ref.kind == "playlist":
        found = await services.playlists.get(viewer, ref.id, ARTWORK_MASK)
        return found.artwork_key if isinstance(found.artwork_key, str) else None
    if ref.kind == "album":
        albums = await services.playlists.album_summaries(viewer, [album_ref(ref)])
        if not albums:
            raise errors.not_found()
        return albums[0].artwork_key
    # an artist, or an artist's singles: the artist's picture
    if ref.kind == "singles" and not await services.playlists.album_summaries(
        viewer, [album_ref(ref)]
    ):
        raise errors.not_found()
    if not await services.tracks.artists_among(viewer, [ref.id]):
        raise errors.not_found()
    user = await services.users.get(viewer, ref.id, FieldMask(["avatar_key"]))
    return user.avatar_key if isinstance(user.avatar_key, str) else None


@endpoint(
    "getCoverArt",
    "The picture of a song, release, artist or playlist (size in pixels)",
    doc=Doc(
        (
            ids(
                "id", ("track", "album", "singles", "artist", "playlist"), "The item", required=True
            ),
            integer("size", 1, 10_000, "The width wanted, pixels (default: the original)"),
        ),
        redirect=True,
    ),
)
async def get_cover_art(player: NamedDependency[Player]) -> Redirect:
    ref = player.call.ref("id")
    size = player.call.optional_integer("size", 1, 10_000)
    key = await _artwork_key(player, ref)
    url = artwork_url(key, _variant(size))
    if url is None:
        raise errors.not_found("no picture for this item")
    return _redirect(player, url)


@endpoint(
    "getLyrics",
    "Lyrics of a song by artist and title (Soundstack keeps none: empty)",
    doc=Doc((text("artist", "The artist"), text("title", "The title")), ("lyrics", rep.Lyrics)),
)
async def get_lyrics(player: NamedDependency[Player]) -> Response[bytes]:
    call = player.call
    lyrics = rep.Lyrics(value="", artist=call.one("artist"), title=call.one("title"))
    return player.ok(lyrics=lyrics)


ROUTES = [stream, download, get_cover_art, get_lyrics]
