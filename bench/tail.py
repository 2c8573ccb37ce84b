"""The long-tail scenarios: reads drawn from the whole catalog and writes with random keys.

Each scenario is a `Stream`: a records file of pre-drawn values and users (see bench/draws.py)
and how bench/stream.lua turns a record into a request. The draws are made here, in Python,
from the catalog itself, so every server measured on a scenario gets requests from the same
distribution (each measurement its own, never-reused stretch of the file).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

import msgspec

from bench import draws
from bench.catalog import Catalog

PUBLIC_PATH = ("/public/tracks/soundcloud:tracks:", "")
PEER_PATH = ("/tracks/", "")
"""The peers' `GET /tracks/{id}`: the same ids as the public API's track URNs."""
SEARCH_SUFFIX = "&limit=50&linked_partitioning=true"
COMMENT_BODY = ('{"timestamp_ms":30000,"body":"bench comment on track ', '"}')
"""30 s into the track: every seeded track is at least 90 s long."""
PLAYLIST_ADD_BODY = ('{"track_ids":[', "]}")
PEERS = ("orm", "raw")


class Stream(msgspec.Struct, frozen=True):
    """One long-tail scenario: which servers serve it, and how a record becomes a request."""

    name: str
    method: str
    path: tuple[str, str]
    """Around the record's value (or the user's playlist, see `path_value`)."""
    records: str
    width: int
    count: int
    path_value: Literal["value", "playlist"] = "value"
    body: tuple[str, str] = ("", "")
    auth: Literal["public", "user"] = "user"
    servers: tuple[str, ...] = ("soundstack",)
    peers_from: str | None = None
    """The scenario whose peer measurements this one is compared with (same distribution)."""
    distribution: str = "uniform"

    def path_for(self, server: str) -> tuple[str, str]:
        return PEER_PATH if server in PEERS else self.path

    def record(self, i: int) -> tuple[str, int]:
        """Record i, as the Lua script reads it (for sample requests made from Python)."""
        with open(self.records, "rb") as f:
            f.seek((i % self.count) * self.width)
            value, user = f.read(self.width).decode().split()
        return value, int(user)

    def request(
        self, i: int, server: str, users: Sequence[tuple[str, int]], public_token: str
    ) -> dict[str, Any]:
        """Request i exactly as bench/stream.lua builds it: {method, path, headers, body}."""
        value, user = self.record(i)
        token, playlist = users[user]
        prefix, suffix = self.path_for(server)
        middle = str(playlist) if self.path_value == "playlist" else value
        headers = {"Authorization": f"OAuth {public_token if self.auth == 'public' else token}"}
        body = None
        if self.body != ("", ""):
            body = self.body[0] + value + self.body[1]
            headers["Content-Type"] = "application/json"
        return {"method": self.method, "path": prefix + middle + suffix, "headers": headers,
                "body": body}  # fmt: skip


READS = (
    "public_track_uniform",
    "public_track_zipf",
    "mobile_track_uniform",
    "mobile_track_zipf",
    "mobile_playlist_many",
    "public_search_many",
)
WRITES = ("write_like", "write_comment", "write_playlist_add", "write_follow")
ALL = READS + WRITES

_PUBLIC_READ = {"method": "GET", "path": PUBLIC_PATH, "auth": "public"}
_MOBILE_TRACK = {"method": "GET", "path": ("/mobile/tracks/", "")}
_WRITE = {"method": "POST"}
SPECS: dict[str, tuple[str, dict[str, Any]]] = {
    "public_track_uniform": ("tracks", {**_PUBLIC_READ, "servers": ("soundstack", *PEERS)}),
    "public_track_zipf": (
        "popular",
        {**_PUBLIC_READ, "servers": ("soundstack", *PEERS), "distribution": "zipf"},
    ),
    "mobile_track_uniform": ("tracks", {**_MOBILE_TRACK, "peers_from": "public_track_uniform"}),
    "mobile_track_zipf": (
        "popular",
        {**_MOBILE_TRACK, "peers_from": "public_track_zipf", "distribution": "zipf"},
    ),
    "mobile_playlist_many": (
        "playlists",
        {"method": "GET", "path": ("/mobile/playlists/", "")},
    ),
    "public_search_many": (
        "queries",
        {**_PUBLIC_READ, "path": ("/public/tracks?q=", SEARCH_SUFFIX)},
    ),
    "write_like": ("open", {**_WRITE, "path": ("/mobile/tracks/", "/like")}),
    "write_comment": (
        "open",
        {**_WRITE, "path": ("/mobile/tracks/", "/comments"), "body": COMMENT_BODY},
    ),
    "write_playlist_add": (
        "open",
        {
            **_WRITE,
            "path": ("/mobile/playlists/", "/tracks"),
            "path_value": "playlist",
            "body": PLAYLIST_ADD_BODY,
        },
    ),
    "write_follow": ("people", {**_WRITE, "path": ("/mobile/users/", "/follow")}),
}
"""name -> (what its values are drawn from, how its records become requests)."""


class _Sources:
    """The populations values are drawn from; Zipf's cumulative weights are built once."""

    def __init__(self, catalog: Catalog, user_ids: Sequence[int]) -> None:
        self.catalog = catalog
        self.user_ids = user_ids
        self._zipf: draws.Draw | None = None
        self.popular = draws.ranked(catalog.visible_track_ids, seed=13)

    def values(self, source: str, rng: random.Random, users: list[int]) -> list[str]:
        c, k = self.catalog, len(users)
        if source == "popular":
            if self._zipf is None:
                self._zipf = draws.zipf(len(self.popular))
            return [str(self.popular[i]) for i in self._zipf(rng, k)]
        if source == "people":
            return _follow_targets(rng, c.user_ids, [self.user_ids[u] for u in users])
        population: Sequence[object]
        if source == "queries":
            population = [quote(q) for q in c.search_queries]
        else:
            population = {
                "tracks": c.visible_track_ids,
                "open": c.open_track_ids,
                "playlists": c.public_playlist_ids,
            }[source]
        return [str(population[i]) for i in draws.uniform(len(population))(rng, k)]


def build(
    catalog: Catalog,
    user_ids: Sequence[int],
    directory: Path,
    counts: dict[str, int],
) -> dict[str, Stream]:
    """Draw and write the records of the scenarios in `counts` (name -> how many records: enough
    for every measurement planned, see bench/plan.py). Each scenario has its own random seed."""
    sources = _Sources(catalog, user_ids)
    made: dict[str, Stream] = {}
    for seed, name in enumerate(ALL, start=100):
        if name not in counts:
            continue
        source, spec = SPECS[name]
        rng = random.Random(seed)
        if spec.get("auth") == "public":
            users = [0] * counts[name]
        else:
            users = [int(rng.random() * len(user_ids)) for _ in range(counts[name])]
        values = sources.values(source, rng, users)
        path = directory / f"{name}.rec"
        width = draws.write_records(path, values, users)
        made[name] = Stream(name=name, records=str(path), width=width, count=len(values), **spec)
    return made


def _follow_targets(rng: random.Random, everyone: Sequence[int], followers: list[int]) -> list[str]:
    """A random user for each follower, never the follower itself."""
    out = []
    for follower in followers:
        target = follower
        while target == follower:
            target = everyone[int(rng.random() * len(everyone))]
        out.append(str(target))
    return out
