"""Services wired over an InMemoryDatabase, as build_services wires them over a real one."""

from __future__ import annotations

import datetime as dt

import msgspec

from app.value_added.access import Viewer
from app.value_added.catalog import PlaylistCommands
from app.value_added.common.cursor import CursorCodec
from app.value_added.common.deps import Deps
from app.value_added.common.grants import GrantSigner
from app.value_added.common.sealing import Sealer
from app.value_added.playlists import PlaylistsService
from app.value_added.tracks import TracksService
from app.value_added.users import UsersService
from tests.unit.fakes.database import InMemoryDatabase

NOW = dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.UTC)
SECRET = "unit-test-secret-0123456789"


class Harness(msgspec.Struct, frozen=True):
    db: InMemoryDatabase
    deps: Deps
    tracks: TracksService
    playlists: PlaylistsService
    users: UsersService


def build_harness() -> Harness:
    db = InMemoryDatabase()
    deps = Deps(
        db=db,  # type: ignore[arg-type]  # structurally a Database for the VAS
        cursors=CursorCodec(SECRET),
        grants=GrantSigner(SECRET),
        sealer=Sealer(SECRET),
        clock=lambda: NOW,
    )
    tracks = TracksService(deps)
    playlists = PlaylistsService(deps, tracks, PlaylistCommands(deps))
    return Harness(db, deps, tracks, playlists, UsersService(deps))


def viewer(user_id: int | None, territory: str | None = "DE", plan: str = "free") -> Viewer:
    if user_id is None:
        return Viewer.anonymous(territory=territory)
    return Viewer(user_id=user_id, app_id=None, territory=territory, plan=plan)
