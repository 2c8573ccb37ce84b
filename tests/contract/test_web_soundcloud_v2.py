"""The real `soundcloud-v2` client (PyPI) against a running Soundstack Web API.

Its dataclass models are strict (dacite): every call below also proves the JSON shape.

soundcloud-v2 and the old `soundcloud` 0.5.0 wrapper both install a top-level `soundcloud`
package, so soundcloud-v2 is installed apart (its dependencies dacite, python-dateutil and
curl_cffi go into the venv as usual):
    .venv/bin/pip install --no-deps --target .venv/isolated/soundcloud_v2 soundcloud-v2==1.7.0
"""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

import msgspec
import pytest
from alembic import command
from alembic.config import Config

from app.foundation.migrations_state import script_location
from app.value_added.access import Viewer
from app.value_added.creator import TrackDraft
from app.value_added.playlists import PlaylistDraft
from app.value_added.registry import build_services

ROOT = Path(__file__).resolve().parents[2]
SECRET = "contract-secret-key-0123456789abcdef"


def load_soundcloud_v2() -> Any:
    """Import `soundcloud-v2` without disturbing another `soundcloud` distribution.

    `soundcloud` (0.5.0, the old official wrapper) and `soundcloud-v2` ship the same top-level
    package, so soundcloud-v2 lives in its own directory (see the module docstring); it is
    imported from there under its usual name, then unlisted again.
    """
    isolated = Path(sys.prefix) / "isolated" / "soundcloud_v2"
    names = lambda: [m for m in sys.modules if m == "soundcloud" or m.startswith("soundcloud.")]  # noqa: E731
    saved = {name: sys.modules.pop(name) for name in names()}
    sys.path.insert(0, str(isolated))
    try:
        module = importlib.import_module("soundcloud")
        if not hasattr(module, "SoundCloud"):
            pytest.skip(f"soundcloud-v2 is not installed in {isolated}", allow_module_level=True)
        importlib.import_module("soundcloud.requests")
        return module
    finally:
        sys.path.remove(str(isolated))
        for name in names():
            del sys.modules[name]
        sys.modules.update(saved)


soundcloud = load_soundcloud_v2()
SoundCloud = soundcloud.SoundCloud
Request = soundcloud.requests.Request

T = TypeVar("T")


def run_async(fn: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine on its own loop in its own thread (never meets pytest-asyncio's loop)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(fn())).result()


def migrated_sqlite(path: Path) -> str:
    url = f"sqlite+aiosqlite:///{path}"
    config = Config()
    config.set_main_option("script_location", str(script_location()))
    config.attributes["url"] = url
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(command.upgrade, config, "head").result()
    return url


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, database_url: str, workdir: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ)
        env.update(
            DATABASE_URL=database_url,
            SECRET_KEY=SECRET,
            VAR_DIR=str(workdir / "var"),
            MEDIA_DIR=str(workdir / "media"),
            IN_PROCESS_WORKERS="false",
        )
        self.log = (workdir / "server.log").open("wb")
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory"),
                *("--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"),
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        try:
            self._wait()
        except BaseException:
            self.stop()  # (left running, it outlived the test session)
            raise

    def _wait(self) -> None:
        # importing and building every BFF on a loaded 2-core machine took more than 20 s
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"{self.base}/health", timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("server did not start in 90 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@pytest.fixture(scope="module")
def contract_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    workdir = tmp_path_factory.mktemp("contract")
    return migrated_sqlite(workdir / "soundstack.db"), workdir


def start_server(database_url: str, workdir: Path) -> Iterator[Server]:
    server = Server(database_url, workdir)
    try:
        yield server
    finally:
        server.stop()


class World(msgspec.Struct):
    client_id: str
    alice: int
    bob: int
    carol: int
    alice_token: str
    bob_token: str
    public: list[int]
    private: int
    private_token: str
    private_permalink: str
    playlist: int
    album: int
    tag: str


async def seed(database_url: str) -> World:
    services = build_services(database_url, SECRET)
    identity = services.identity
    created = await identity.create_app("web-contract", ["web"], ["read", "write"])
    app = await identity.app_by_client_id(created.client_id)
    assert app is not None
    alice = (await identity.create_user("alice", "correct horse battery", first_name="Al")).id
    bob = (await identity.create_user("bob", "correct horse battery")).id
    carol = (await identity.create_user("carol", "correct horse battery")).id

    def as_(user: int) -> Viewer:
        return Viewer(user_id=user, app_id=app.id, territory="DE", plan="free")

    creator = services.creator
    public = []
    for n in range(3):
        draft = TrackDraft(
            title=f"Sunrise {n}",
            genre="ambient",
            tag_list="dawnchorus",
            duration_ms=200_000,
            downloadable=True,
        )
        public.append((await creator.create_track(as_(alice), alice, draft)).id)
    secret = await creator.create_track(
        as_(alice), alice, TrackDraft(title="Hidden Gem", sharing="private", downloadable=True)
    )
    async with services.deps.db.write() as uow:
        media = await uow.media.create(
            public[0], {"format": "mp3", "status": "finished", "duration_ms": 200_000}
        )
        await uow.media.add_transcoding(
            media.id,
            {
                "kind": "mp3_128",
                "storage_key": "t/1.mp3",
                "content_type": "audio/mpeg",
                "duration_ms": 200_000,
            },
        )
        await uow.users.add_web_profiles(
            [
                {
                    "user_id": alice,
                    "service": "instagram",
                    "title": "Alice on Instagram",
                    "url": "https://instagram.com/alice",
                    "username": "alice",
                    "created_at": dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
                }
            ]
        )
    playlists = services.playlists
    playlist = await playlists.create(
        as_(alice), PlaylistDraft(title="Morning Mix", track_ids=(public[0], public[1]))
    )
    album = await playlists.create(
        as_(alice), PlaylistDraft(title="Dawn LP", set_type="album", track_ids=(public[2],))
    )
    tracks, users = services.tracks, services.users
    await tracks.like(as_(bob), public[0])
    await tracks.like(as_(bob), public[1])
    await tracks.like(as_(carol), public[0])
    await tracks.repost(as_(bob), public[0])
    await tracks.repost(as_(carol), public[0])
    await playlists.like(as_(bob), playlist.id)
    await playlists.repost(as_(bob), playlist.id)
    await users.follow(as_(bob), alice)
    await users.follow(as_(carol), alice)
    await users.follow(as_(alice), carol)
    await tracks.comment(as_(bob), public[0], "lovely intro", 1_000)
    await tracks.comment(as_(bob), public[0], "and the drop", 90_000)
    await tracks.comment(as_(carol), public[0], "on repeat")
    await tracks.record_play(as_(bob), public[1])
    world = World(
        client_id=created.client_id,
        alice=alice,
        bob=bob,
        carol=carol,
        alice_token=(await identity.issue_for_user(app, alice)).access_token,
        bob_token=(await identity.issue_for_user(app, bob)).access_token,
        public=public,
        private=secret.id,
        private_token=secret.secret_token,
        private_permalink=secret.permalink,
        playlist=playlist.id,
        album=album.id,
        tag="dawnchorus",
    )
    await services.close()
    return world


@pytest.fixture(scope="module")
def world(contract_db: tuple[str, Path]) -> World:
    return run_async(lambda: seed(contract_db[0]))


@pytest.fixture(scope="module")
def server(contract_db: tuple[str, Path], world: World) -> Iterator[Server]:
    yield from start_server(*contract_db)


@pytest.fixture(scope="module")
def base(server: Server) -> Iterator[str]:
    original = Request.base
    Request.base = f"{server.base}/web"  # the documented knob: every request builds on it
    yield server.base
    Request.base = original


@pytest.fixture(scope="module")
def anon(base: str, world: World) -> SoundCloud:
    return SoundCloud(client_id=world.client_id)


@pytest.fixture(scope="module")
def bob(base: str, world: World) -> SoundCloud:
    return SoundCloud(client_id=world.client_id, auth_token=world.bob_token)


@pytest.fixture(scope="module")
def alice(base: str, world: World) -> SoundCloud:
    return SoundCloud(client_id=world.client_id, auth_token=world.alice_token)


def ids(items: Any) -> list[int]:
    return [item.id for item in items]


# ------------------------------------------------------------------------------------ me


def test_me(bob: SoundCloud, world: World) -> None:
    me = bob.get_me()
    assert isinstance(me, soundcloud.User)
    assert (me.id, me.username, me.followings_count, me.likes_count) == (world.bob, "bob", 1, 2)
    assert bob.is_auth_token_valid() and bob.is_client_id_valid()


def test_me_history(bob: SoundCloud, world: World) -> None:
    history = list(bob.get_my_history())
    assert [h.track_id for h in history] == [world.public[1]]
    assert history[0].track.title == "Sunrise 1"
    played = dt.datetime.fromtimestamp(history[0].played_at / 1000, dt.UTC)
    assert abs(played - dt.datetime.now(dt.UTC)) < dt.timedelta(hours=1)  # not 0 (1970)


def test_my_stream_is_the_feed_of_followed_users(bob: SoundCloud, world: World) -> None:
    items = list(bob.get_my_stream())
    assert sorted(i.track.id for i in items) == sorted(world.public)  # type: ignore[union-attr]
    assert all(i.user.id == world.alice for i in items)
    assert world.private not in [i.track.id for i in items]  # type: ignore[union-attr]


# ------------------------------------------------------------------------------- resolve


def test_resolve_user_track_playlist_and_secret_link(
    bob: SoundCloud, alice: SoundCloud, world: World, base: str
) -> None:
    user = bob.get_user_by_username("alice")
    assert isinstance(user, soundcloud.User) and user.id == world.alice
    track = bob.resolve(
        f"https://soundcloud.com/alice/{alice.get_track(world.public[0]).permalink}"
    )  # type: ignore[union-attr]
    assert isinstance(track, soundcloud.Track) and track.id == world.public[0]
    assert track.user.track_count == 4 or track.user.track_count == 3
    playlist = bob.resolve(f"{base}/alice/sets/morning-mix")
    assert isinstance(playlist, soundcloud.AlbumPlaylist) and playlist.id == world.playlist
    hidden = f"{base}/alice/{world.private_permalink}"
    assert bob.resolve(hidden) is None
    secret = bob.resolve(f"{hidden}/{world.private_token}")
    assert isinstance(secret, soundcloud.Track) and secret.id == world.private
    assert secret.sharing == "private" and not secret.public
    assert secret.permalink_url.endswith(world.private_token)


# -------------------------------------------------------------------------------- search


def test_search_everything(anon: SoundCloud, world: World) -> None:
    found = list(anon.search("alice"))
    kinds = {type(item).__name__ for item in found}
    assert "User" in kinds
    tracks = list(anon.search("Sunrise"))
    assert {t.id for t in tracks if isinstance(t, soundcloud.Track)} == set(world.public)
    mixed = list(anon.search("Morning"))
    assert world.playlist in [p.id for p in mixed if isinstance(p, soundcloud.AlbumPlaylist)]


def test_search_tracks_pages_and_hides_private(anon: SoundCloud, world: World) -> None:
    found = list(anon.search_tracks("Sunrise", limit=2))
    assert sorted(ids(found)) == sorted(world.public)
    assert all(isinstance(t, soundcloud.Track) and t.user.id == world.alice for t in found)
    assert list(anon.search_tracks("Hidden Gem")) == []


def test_search_users_albums_playlists(anon: SoundCloud, world: World) -> None:
    assert ids(anon.search_users("carol")) == [world.carol]
    assert ids(anon.search_albums("Dawn")) == [world.album]
    assert ids(anon.search_playlists("Morning")) == [world.playlist]
    assert list(anon.search_albums("Morning")) == []


def test_tag_recent_tracks(anon: SoundCloud, world: World) -> None:
    assert sorted(ids(anon.get_tag_tracks_recent(world.tag))) == sorted(world.public)


# -------------------------------------------------------------------------------- tracks


def test_track_shape_counts_and_policy(anon: SoundCloud, world: World, base: str) -> None:
    track = anon.get_track(world.public[0])
    assert isinstance(track, soundcloud.BasicTrack)
    assert (track.title, track.user_id, track.user.username) == ("Sunrise 0", world.alice, "alice")
    assert (track.likes_count, track.reposts_count, track.comment_count) == (2, 2, 3)
    assert track.urn == f"soundcloud:tracks:{world.public[0]}"
    assert track.policy == "ALLOW" and track.monetization_model == "NOT_APPLICABLE"
    assert track.created_at.tzinfo is not None
    [transcoding] = track.media.transcodings
    assert transcoding.url.startswith(f"{base}/web/media/soundcloud:tracks:{world.public[0]}/")
    assert transcoding.format.protocol == "progressive"


def test_private_track_is_404_for_others_and_visible_to_owner(
    bob: SoundCloud, alice: SoundCloud, world: World
) -> None:
    assert bob.get_track(world.private) is None
    own = alice.get_track(world.private)
    assert own is not None and own.secret_token == world.private_token


def test_tracks_by_ids_drops_invisible(bob: SoundCloud, world: World) -> None:
    found = bob.get_tracks([world.public[2], world.private, world.public[0]])
    assert ids(found) == [world.public[2], world.public[0]]


def test_track_albums_playlists_comments_people_related(anon: SoundCloud, world: World) -> None:
    t0, t2 = world.public[0], world.public[2]
    assert ids(anon.get_track_albums(t2)) == [world.album]
    assert ids(anon.get_track_playlists(t0)) == [world.playlist]
    comments = list(anon.get_track_comments(t0, limit=2))
    assert len(comments) == 3 and {c.user.username for c in comments} == {"bob", "carol"}
    assert {c.body for c in comments} == {"lovely intro", "and the drop", "on repeat"}
    assert sorted(ids(anon.get_track_likers(t0))) == sorted([world.bob, world.carol])
    assert sorted(ids(anon.get_track_reposters(t0))) == sorted([world.bob, world.carol])
    related = ids(anon.get_track_related(t0))
    assert t0 not in related and world.private not in related


def test_original_download(bob: SoundCloud, world: World, base: str) -> None:
    url = bob.get_track_original_download(world.public[0])
    assert url is not None and url.startswith(f"{base}/media/")
    assert bob.get_track_original_download(world.private) is None
    assert bob.get_track_original_download(world.private, world.private_token) is not None


def _get(url: str, **params: Any) -> Any:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    with urllib.request.urlopen(f"{url}{'&' if '?' in url else '?'}{query}", timeout=10) as r:
        return msgspec.json.decode(r.read())


def test_transcodings_are_api_v2_shaped_and_answer_a_url(anon: SoundCloud, world: World) -> None:
    [transcoding] = anon.get_track(world.public[0]).media.transcodings
    assert (transcoding.preset, transcoding.format.mime_type) == ("mp3_1_0", "audio/mpeg")
    assert (transcoding.quality, transcoding.snipped) == ("sq", False)
    stream = _get(transcoding.url, client_id=world.client_id)  # as api-v2 clients ask for it
    assert stream["url"].startswith("http") and "/media/streams/" in stream["url"]


def test_one_comment_by_id(anon: SoundCloud, world: World, base: str) -> None:
    first = next(iter(anon.get_track_comments(world.public[0])))
    body = _get(f"{base}/web/comments/{first.id}", client_id=world.client_id)
    comment = soundcloud.BasicComment.from_dict(body)  # the client's own model
    assert (comment.id, comment.body, comment.user.id) == (first.id, first.body, first.user.id)


def test_avatar_url_is_a_url_that_serves_an_image(anon: SoundCloud, world: World) -> None:
    user = anon.get_user(world.carol)
    assert user is not None and user.avatar_url.startswith("http")
    with urllib.request.urlopen(user.avatar_url, timeout=10) as r:
        assert r.headers["Content-Type"] == "image/jpeg" and len(r.read()) > 100


# ----------------------------------------------------------------------------- playlists


def test_playlist_get_likers_reposters(anon: SoundCloud, world: World) -> None:
    playlist = anon.get_playlist(world.playlist)
    assert isinstance(playlist, soundcloud.BasicAlbumPlaylist)
    assert (playlist.title, playlist.track_count, playlist.is_album) == ("Morning Mix", 2, False)
    assert ids(playlist.tracks) == world.public[:2]
    assert ids(anon.get_playlist_likers(world.playlist)) == [world.bob]
    assert ids(anon.get_playlist_reposters(world.playlist)) == [world.bob]


def test_playlist_create_and_delete(bob: SoundCloud, world: World) -> None:
    created = bob.post_playlist("private", "Bob's picks", [world.public[1]])
    assert created is not None and created.user_id == world.bob and created.sharing == "private"
    assert ids(created.tracks) == [world.public[1]]
    deleted = bob.delete_playlist(created.id)
    assert deleted is not None and deleted.status_code in (200, 204)
    assert bob.get_playlist(created.id) is None


# --------------------------------------------------------------------------------- users


def test_user_profile_and_social_lists(anon: SoundCloud, world: World) -> None:
    user = anon.get_user(world.alice)
    # three public tracks and a private one: others count (and list) the three
    assert user is not None and (user.followers_count, user.track_count) == (2, 3)
    assert len(list(anon.get_user_tracks(world.alice))) == 3
    assert user.playlist_count == 2 and user.first_name == "Al"
    assert sorted(ids(anon.get_user_followers(world.alice, limit=1))) == sorted(
        [world.bob, world.carol]
    )
    assert ids(anon.get_user_following(world.alice)) == [world.carol]
    assert ids(anon.get_user_related_artists(world.alice)) == [world.carol]


def test_user_comments_name_their_track(anon: SoundCloud, world: World) -> None:
    comments = list(anon.get_user_comments(world.bob))
    assert len(comments) == 2 and all(c.track.id == world.public[0] for c in comments)


def test_user_likes_tracks_and_playlists(anon: SoundCloud, world: World) -> None:
    likes = list(anon.get_user_likes(world.bob, limit=1))
    tracks = [like.track.id for like in likes if isinstance(like, soundcloud.TrackLike)]
    playlists = [like.playlist.id for like in likes if isinstance(like, soundcloud.PlaylistLike)]
    assert sorted(tracks) == sorted(world.public[:2]) and playlists == [world.playlist]


def test_user_reposts_and_stream(anon: SoundCloud, world: World) -> None:
    reposts = list(anon.get_user_reposts(world.bob))
    targets = sorted(
        (getattr(r, "track", None) and r.track.id) or r.playlist.id  # type: ignore[union-attr]
        for r in reposts
    )
    assert targets == sorted([world.public[0], world.playlist])
    assert all(r.reposted is not None and r.user.id == world.bob for r in reposts)
    stream = list(anon.get_user_stream(world.alice, limit=2))
    posted = [i.track.id for i in stream if hasattr(i, "track")]
    assert sorted(posted) == sorted(world.public)
    assert {i.playlist.id for i in stream if hasattr(i, "playlist")} == {
        world.playlist,
        world.album,
    }


def test_user_tracks_paginate_and_hide_private(
    anon: SoundCloud, alice: SoundCloud, world: World
) -> None:
    assert sorted(ids(anon.get_user_tracks(world.alice, limit=2))) == sorted(world.public)
    own = ids(alice.get_user_tracks(world.alice, limit=2))
    assert sorted(own) == sorted([*world.public, world.private])
    popular = ids(anon.get_user_popular_tracks(world.alice))
    assert popular[0] == world.public[1]  # the only one played: toptracks go by plays
    assert sorted(popular) == sorted(world.public)


def test_user_albums_playlists_links(anon: SoundCloud, world: World) -> None:
    assert ids(anon.get_user_albums(world.alice)) == [world.album]
    assert ids(anon.get_user_playlists(world.alice)) == [world.playlist]
    [link] = anon.get_user_links(f"soundcloud:users:{world.alice}")
    assert (link.network, link.url) == ("instagram", "https://instagram.com/alice")


def test_conversations_messages_emails_are_501(bob: SoundCloud, world: World) -> None:
    from curl_cffi.requests.exceptions import HTTPError

    calls = [
        lambda: list(bob.get_conversations(world.bob)),
        lambda: list(bob.get_unread_conversations(world.bob)),
        lambda: list(bob.get_conversation_messages(world.bob, 1)),
        lambda: list(bob.get_user_emails(world.bob)),
    ]
    for call in calls:
        with pytest.raises(HTTPError) as err:
            call()
        assert err.value.response.status_code == 501


def test_first_page_respects_limit(anon: SoundCloud, world: World) -> None:
    first_two = list(islice(anon.get_user_tracks(world.alice, limit=2), 2))
    assert len(first_two) == 2
