"""What the fuzzing of the Subsonic document (tests/contract/test_bff_schemathesis.py) adds to the
seeded catalog of tests/contract/bff_seed.py: the signed-in user's player password and an album,
the schemathesis settings that bring a player's credentials (token and salt, as players send
them), and ids of the seeded catalog for the id parameters, by the kinds each one takes."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import msgspec

from app.value_added.registry import build_services
from tests.contract.bff_seed import SECRET, Seeded
from tests.contract.subsonic_hooks import ENVELOPE_PATHS
from tests.factories import make_playlist

MOUNT = "rest"
"""Subsonic players call /rest, not /subsonic."""
EXCLUDED_CHECKS = ("negative_data_rejection", "ignored_auth")
"""Generic checks that read the HTTP status, replaced by their Subsonic equivalents
(tests/contract/subsonic_hooks.py): Subsonic answers every failed call with HTTP 200."""
SALT = "fuzz-salt"


class Player(msgspec.Struct, frozen=True):
    password: str
    api_key: str
    album: int


async def seed_player(url: str, s: Seeded) -> Player:
    """The player password of the signed-in user, and an album of their tracks."""
    services = build_services(url, SECRET)
    try:
        password = (await services.identity.create_player_password(s.user)).password
        api_key = (await services.identity.create_api_key(s.user, "schemathesis")).api_key
        db = services.deps.db
        album = await make_playlist(db, s.user, s.tracks[:1])
        async with db.write() as uow:
            await uow.playlists.update(album, {"set_type": "album", "genre": "house"})
        return Player(password=password, api_key=api_key, album=album)
    finally:
        await services.close()


def _toml(value: Any) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(value)


def config(s: Seeded, player: Player) -> list[str]:
    """The catalog part of schemathesis.toml for Subsonic: a player's credentials (the token of
    the signed-in user's player password), and ids of the seeded catalog half the time.

    One dictionary per parameter name, holding every kind of id it may take in some operation:
    schemathesis draws, for each operation, the entries its schema admits (a repeatable query
    parameter, a list, admits none: its ids are drawn; a form's list takes them as items). `id`
    names no seeded playlist but the deletable ones (deletePlaylist takes `id`); `playlistId`
    names the seeded ones."""
    tracks = [f"tr-{i}" for i in [*s.tracks, *s.other_tracks]]
    albums = [f"al-{player.album}", f"al-s-{s.user}", f"al-s-{s.other}"]
    artists = [f"ar-{s.user}", f"ar-{s.other}"]
    deletable = [f"pl-{i}" for i in s.deletable_playlists]
    playlists = [f"pl-{s.playlist}", f"pl-{s.other_playlist}"]
    dictionaries = {
        "id": [*tracks, *albums, *artists, *deletable],
        "albumId": albums,
        "artistId": artists,
        "songId": tracks,
        "songIdToAdd": tracks,
        "mediaId": tracks,
        "current": tracks,
        "playlistId": playlists,
        "username": [s.username],
        "artist": [s.username],
        "genre": ["house"],
    }
    repeatable = ("albumId", "artistId", "songId", "songIdToAdd")  # (`id` is single mostly)
    keys = {f"{where}.{name}": name for name in dictionaries if name not in repeatable
            for where in ("query", "body")}  # fmt: skip
    keys |= {f"body.{name}[*]": name for name in repeatable}  # (an item of a form's list)
    token = hashlib.md5((player.password + SALT).encode()).hexdigest()
    return [
        "[parameters]",
        *(
            f"{_toml(key)} = {_toml({'dictionary': name, 'probability': 0.5})}"
            for key, name in keys.items()
        ),
        "[dictionaries]",
        *(f"{name} = {_toml({'values': values})}" for name, values in dictionaries.items()),
        "[auth.openapi.subsonicUser]",
        f"api_key = {_toml(s.username)}",
        "[auth.openapi.subsonicToken]",
        f"api_key = {_toml(token)}",
        "[auth.openapi.subsonicSalt]",
        f"api_key = {_toml(SALT)}",
        "[auth.openapi.oauth_token]",  # (GET /whoami, the kit's, is OAuth's)
        f"api_key = {_toml('OAuth ' + s.token)}",
        # The credentials are the player's on every call, never drawn: a credential the
        # fuzzer draws is replaced by these before it is sent (the same call again), and each
        # of the five credential parameters would repeat every case once more. The calls
        # without them, or with a wrong one, are subsonic_auth_enforced's (subsonic_hooks.py).
        "[[operations]]",
        'include-path-regex = "^/"',
        "generation.with-security-parameters = false",
        # A form POST is read by the code that reads every call (params.read_call), then the
        # GET's handler runs: fuzzed on ENVELOPE_PATHS (and each in tests/e2e/test_subsonic.py);
        # fuzzing all 40 forms too would double a run already at its time budget.
        "[[operations]]",
        'include-method = "POST"',
        f"exclude-path = {_toml(list(ENVELOPE_PATHS))}",
        "phases.coverage.enabled = false",
        "phases.fuzzing.enabled = false",
    ]
