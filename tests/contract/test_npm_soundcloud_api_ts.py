"""soundcloud-api-ts (npm, pinned; installed by `make install` into .venv/npm) against a live
Soundstack: the TypeScript public-API client through Node — client credentials, a track, a
user and their tracks, search, resolve, /me, a like, and sign-out with its JSON body.

The client has no base-URL option: it calls `https://api.soundcloud.com` and
`https://secure.soundcloud.com` through the global `fetch`, so the driver script
(`npm/soundcloud_api_ts.mjs`) rewrites exactly those two origins to `/public` and `/auth`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import unavailable
from tests.contract.public_seed import Seed, seeded_server

CLIENT = Path(sys.prefix) / "npm" / "node_modules" / "soundcloud-api-ts" / "dist" / "index.js"
SCRIPT = Path(__file__).parent / "npm" / "soundcloud_api_ts.mjs"


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seed]:
    with seeded_server(tmp_path_factory.mktemp("npm-client"), users=2, pool=1) as seeded:
        yield seeded


def _run(seed: Seed) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None or not CLIENT.exists():
        unavailable(f"node or soundcloud-api-ts ({CLIENT}) missing: run `make install`")
    artist, fan = seed.users[0], seed.users[1]
    env = {
        **os.environ,
        "SOUNDSTACK_URL": seed.base_url,
        "CLIENT_MODULE": CLIENT.as_uri(),
        "CLIENT_ID": seed.client_id,
        "CLIENT_SECRET": seed.client_secret,
        "USER_TOKEN": fan.token,
        "SPARE_TOKEN": seed.spare_tokens[0],
        "TRACK_ID": str(artist.tracks[0]),
        "USER_ID": str(artist.id),
        "PERMALINK": artist.permalink,
        "QUERY": "Artist 0",
    }
    done = subprocess.run(
        [node, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_soundcloud_api_ts_reads_writes_and_signs_out(seed: Seed) -> None:
    out = _run(seed)
    artist, fan = seed.users[0], seed.users[1]
    assert out["client_token"] is True
    assert out["track"]["id"] == artist.tracks[0] and out["track"]["user"]["id"] == artist.id
    assert out["user"]["id"] == artist.id and out["user"]["permalink"] == artist.permalink
    assert len(out["user_tracks"]["collection"]) == 1 and out["user_tracks"]["next_href"]
    assert artist.tracks[0] in {t["id"] for t in out["search"]["collection"]}
    assert out["resolved"] == f"{seed.base_url}/public/users/soundcloud:users:{artist.id}"
    assert out["me"]["id"] == fan.id
    assert out["liked"] is True
    assert artist.tracks[0] in {t["id"] for t in out["likes"]["collection"]}
    assert out["after_sign_out"] == 401
