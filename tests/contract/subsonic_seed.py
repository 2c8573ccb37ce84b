"""A seeded Soundstack with real (short) audio and a live uvicorn server, for contract tests of
the Subsonic API with real client libraries.

Two artists upload processed tracks (PyAV-encoded tones): an album of two, two singles, and
hidden ones (private, unreleased, taken down, and one on another user's private playlist).
The listener has a player password and an API key.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import msgspec
from PIL import Image

from app.value_added.access import Viewer
from app.value_added.creator import TrackDraft
from app.value_added.media import MediaConfig, MediaWorker
from app.value_added.playlists import PlaylistDraft
from app.value_added.registry import build_services
from tests.conftest import migrate
from tests.contract.public_seed import serve_app
from tests.integration.test_media_audio import chunks_of, sine

SECRET = "subsonic-contract-secret-0123456789"
SECONDS = 2.0


class SubsonicSeed(msgspec.Struct):
    base_url: str
    port: int
    listener: str
    player_password: str
    api_key: str
    artist: int
    other_artist: int
    album: int
    album_tracks: list[int]
    singles: list[int]
    other_singles: list[int]
    hidden: dict[str, int]
    private_playlist: int
    genre: str
    log_path: str = ""


def _viewer(user_id: int) -> Viewer:
    return Viewer(user_id=user_id, app_id=None, territory="DE", plan="free")


async def _seed(url: str, media_dir: Path) -> SubsonicSeed:
    services = build_services(url, SECRET, media=MediaConfig(media_dir=str(media_dir)))
    identity, creator = services.identity, services.creator
    audio = sine(SECONDS)
    try:
        artist = (await identity.create_user("nova", "correct horse battery", "DE")).id
        other = (await identity.create_user("orbit", "correct horse battery", "DE")).id
        listener = (await identity.create_user("lena", "correct horse battery", "DE")).id

        async def upload(owner: int, title: str, **policy: object) -> int:
            draft = TrackDraft(
                title=title, genre="Ambient", release_date=dt.date(2021, 3, 1), **policy
            )  # type: ignore[arg-type]
            made = await creator.upload_track(
                _viewer(owner), owner, draft, chunks_of(audio), f"{title}.mp3"
            )
            return made.id

        album_tracks = [await upload(artist, f"Tide {n}", downloadable=True) for n in (1, 2)]
        singles = [await upload(artist, "Ember", downloadable=True), await upload(artist, "Frost")]
        other_singles = [await upload(other, "Orbit One")]
        hidden = {
            "private": await upload(artist, "Hidden Private", sharing="private"),
            "unreleased": await upload(
                artist, "Hidden Unreleased", release_at=dt.datetime(2999, 1, 1, tzinfo=dt.UTC)
            ),
            "taken_down": await upload(artist, "Hidden Takedown"),
        }
        await MediaWorker(services.media).run_until_idle()
        artwork = await services.media.store_artwork(_png())
        async with services.deps.db.write() as uow:  # (test data, straight to the foundation)
            await uow.policies.update(
                hidden["taken_down"], {"taken_down_at": dt.datetime.now(dt.UTC)}
            )
            await uow.tracks.update(singles[0], {"artwork_key": artwork})
        album = await services.playlists.create(
            _viewer(artist),
            PlaylistDraft(
                title="Tides", set_type="album", genre="Ambient", track_ids=tuple(album_tracks)
            ),
        )
        # a track only on another user's PRIVATE playlist: the playlist is hidden from lena
        hidden["on_private_playlist_only"] = await upload(other, "Secret Sketch", sharing="private")
        await MediaWorker(services.media).run_until_idle()
        draft = PlaylistDraft(
            title="Orbit private",
            sharing="private",
            track_ids=(hidden["on_private_playlist_only"],),
        )
        private_playlist = (await services.playlists.create(_viewer(other), draft)).id
        password = (await identity.create_player_password(listener)).password
        api_key = (await identity.create_api_key(listener, "contract")).api_key
        return SubsonicSeed(
            base_url="",
            port=0,
            listener="lena",
            player_password=password,
            api_key=api_key,
            artist=artist,
            other_artist=other,
            album=album.id,
            album_tracks=album_tracks,
            singles=singles,
            other_singles=other_singles,
            hidden=hidden,
            private_playlist=private_playlist,
            genre="Ambient",
        )
    finally:
        await services.close()


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 640), (40, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


@contextlib.contextmanager
def seeded_subsonic(tmp: Path) -> Iterator[SubsonicSeed]:
    """Seed a fresh SQLite database with processed audio and serve the app on it."""
    db_url = f"sqlite+aiosqlite:///{tmp / 'subsonic.db'}"
    migrate(db_url)
    media_dir = tmp / "media"
    seed = asyncio.run(_seed(db_url, media_dir))
    with serve_app(tmp, db_url, SECRET, media_dir, access_log=True) as (base_url, port):
        log_path = str(tmp / "uvicorn.log")
        yield msgspec.structs.replace(seed, base_url=base_url, port=port, log_path=log_path)
