"""A seeded Soundstack database and a uvicorn server for contract tests of the Public API.

`seeded_server(tmp)` migrates a SQLite file, seeds users (each with a token, public tracks,
a playlist and pools of deletable tracks/playlists), likes, reposts, follows and comments,
then serves the whole app with uvicorn on a free port.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec

from app.value_added.registry import build_services
from tests.conftest import migrate
from tests.factories import make_playlist, make_track

SECRET = "contract-secret-key-0123456789abcdef"
ROOT = Path(__file__).resolve().parents[2]


class SeededUser(msgspec.Struct):
    id: int
    permalink: str
    token: str
    tracks: list[int]
    playlist: int
    deletable_tracks: list[int]
    deletable_playlists: list[int]


class Seed(msgspec.Struct):
    base_url: str
    client_id: str
    client_secret: str
    users: list[SeededUser]
    spare_tokens: list[str]
    private_track: int
    private_secret: str


async def _seed(url: str, users: int, pool: int, spare_tokens: int) -> dict[str, Any]:
    services = build_services(url, SECRET)
    identity = services.identity
    db = services.deps.db
    try:
        created_app = await identity.create_app(
            "contract-client", ["public"], ["read", "write"], ["http://localhost:9999/callback"]
        )
        app = await identity.app_by_client_id(created_app.client_id)
        assert app is not None
        seeded: list[dict[str, Any]] = []
        for n in range(users):
            user = await identity.create_user(f"artist{n}", "correct horse battery", country="DE")
            tracks = [
                await make_track(db, user.id, title=f"Artist {n} song {i}", genre="house", bpm=120)
                for i in range(2)
            ]
            playlist = await make_playlist(db, user.id, tracks)
            deletable = [await make_track(db, user.id) for _ in range(pool)]
            deletable_playlists = [await make_playlist(db, user.id, []) for _ in range(pool)]
            token = (await identity.issue_for_user(app, user.id)).access_token
            seeded.append(
                {
                    "id": user.id,
                    "permalink": user.permalink,
                    "token": token,
                    "tracks": tracks,
                    "playlist": playlist,
                    "deletable_tracks": deletable,
                    "deletable_playlists": deletable_playlists,
                }
            )
        for i, u in enumerate(seeded):
            other = seeded[(i + 1) % len(seeded)]
            viewer = (await identity.principal(u["token"])).viewer()  # type: ignore[union-attr]
            await services.users.follow(viewer, other["id"])
            await services.tracks.like(viewer, other["tracks"][0])
            await services.tracks.repost(viewer, other["tracks"][1])
            await services.playlists.like(viewer, other["playlist"])
            await services.playlists.repost(viewer, other["playlist"])
            await services.tracks.comment(viewer, other["tracks"][0], "great track", 1000)
            await services.tracks.record_play(viewer, other["tracks"][0])
        private = await make_track(db, seeded[0]["id"], sharing="private")
        async with db.read() as uow:
            policy = await uow.policies.get(private)
        assert policy is not None
        spare = [
            (await identity.issue_for_user(app, seeded[0]["id"])).access_token
            for _ in range(spare_tokens)
        ]
        return {
            "client_id": created_app.client_id,
            "client_secret": created_app.client_secret,
            "users": seeded,
            "spare_tokens": spare,
            "private_track": private,
            "private_secret": policy.secret_token,
        }
    finally:
        await services.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"uvicorn exited with {proc.returncode}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{url}/health", timeout=1) as r,
        ):
            if r.status == 200:
                return
        time.sleep(0.1)
    raise RuntimeError("uvicorn did not become ready")


@contextlib.contextmanager
def seeded_server(
    tmp: Path, *, users: int = 6, pool: int = 12, spare_tokens: int = 12
) -> Iterator[Seed]:
    """Seed a fresh SQLite database and serve the app on it; yields the Seed."""
    db_url = f"sqlite+aiosqlite:///{tmp / 'contract.db'}"
    migrate(db_url)
    data = asyncio.run(_seed(db_url, users, pool, spare_tokens))
    with serve_app(tmp, db_url, SECRET, tmp / "media") as (base, _port):
        yield msgspec.convert({"base_url": base, **data}, Seed)


@contextlib.contextmanager
def serve_app(
    tmp: Path,
    db_url: str,
    secret: str,
    media_dir: Path,
    *,
    access_log: bool = False,
    workers: bool = False,
    env: dict[str, str] | None = None,
) -> Iterator[tuple[str, int]]:
    """The whole app served by uvicorn on a free port (its output in tmp/uvicorn.log); yields
    (base URL, port). With `workers`, the server transcodes uploads itself; `env` adds
    settings."""
    port = _free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": db_url,
        "SECRET_KEY": secret,
        "MEDIA_DIR": str(media_dir),
        "VAR_DIR": str(tmp / "var"),
        "IN_PROCESS_WORKERS": "true" if workers else "false",
        **(env or {}),
    }
    environment.pop("BASE_URL", None)
    log = (tmp / "uvicorn.log").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "app.main:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--access-log" if access_log else "--no-access-log",
        ],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, proc)
        yield base, port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
