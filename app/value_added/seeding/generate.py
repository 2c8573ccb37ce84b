"""Deterministic row generation (random.Random(seed)) in batches of plain tuples, in the
foundation's load column order: users, tracks + policies, playlists + entries, likes, reposts,
follows, timed comments and plays, with counter deltas tallied per batch.

Timestamps are int epoch seconds (the foundation's bulk-load convention); every draw is an
index `seq[int(random() * len)]`, far cheaper than choice/randrange.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterator, Sequence
from typing import Any

from app.value_added.seeding import vocabulary as v
from app.value_added.seeding.derive import Derived
from app.value_added.seeding.tally import Tally

Row = dict[str, Any]
Tuple = tuple[Any, ...]
Edge = tuple[int, int, int]
"""(user, target, created_at epoch seconds)."""
YEAR_S = 365 * 86_400
DAY_S = 86_400
TITLES = [
    (f"{a.title()} {n.title()}", f"{a}-{n}") for a, n in itertools.product(v.ADJECTIVES, v.NOUNS)
]
"""(title, permalink stem) of every adjective-noun pair."""
TAG_PAIRS = [f"{a} {b}" for a, b in itertools.permutations(v.TAGS, 2)]
DESCRIPTIONS = [
    (g, f"{g} piece, recorded in {c}") for g, c in itertools.product(v.GENRES, v.CITIES)
]
KINDS = v.POLICY_KINDS


class Pools:
    """What relations are drawn from: user ids, and tracks with owner and duration."""

    def __init__(self, users: Sequence[int], tracks: Sequence[tuple[int, int, int]]) -> None:
        self.users = list(users)
        self.tracks = [t[0] for t in tracks]
        self.duration = {t: d for t, _, d in tracks}
        visible = v.VISIBLE_KINDS
        self.visible = [t for t in self.tracks if KINDS[t % len(KINDS)] in visible] or self.tracks
        self.by_owner: dict[int, list[int]] = {}
        for track_id, owner, _ in tracks:
            self.by_owner.setdefault(owner, []).append(track_id)
        self.playlists: list[int] = []


def _chunks(ids: range, size: int) -> Iterator[range]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


class Generator:
    """Rows for one seed run; every draw comes from one random.Random(seed)."""

    def __init__(
        self,
        seed: int,
        derived: Derived,
        now: dt.datetime,
        tally: Tally,
        batch: int = 5_000,
        track_ms: int | None = None,
    ) -> None:
        self.track_ms = track_ms
        """Every new track's duration (the demo's audio clips), else drawn at random."""
        self.rng = random.Random(seed)
        self._derived = derived
        self._now = now
        self._now_s = int(now.timestamp())
        self.tally = tally
        self.batch = max(1, batch)
        self.countries: dict[int, str | None] = {}

    def _skewed(self, items: Sequence[int], power: float = 2.0) -> int:
        """A popularity-skewed pick: the first items are drawn far more often."""
        return items[int(len(items) * self.rng.random() ** power)]

    def users(
        self, ids: range, names: Sequence[str], password_hash: str | None
    ) -> Iterator[list[Tuple]]:
        r, now = self.rng.random, self._now_s
        countries, first, last, cities = v.COUNTRIES, v.FIRST_NAMES, v.LAST_NAMES, v.CITIES
        for chunk in _chunks(ids, self.batch):
            rows = []
            for user_id in chunk:
                n = user_id - ids.start
                name = names[n] if n < len(names) else f"user{user_id}"
                country = countries[int(r() * len(countries))] if r() < 0.9 else None
                self.countries[user_id] = country
                created = now - 60 - int(r() * (3 * YEAR_S - 60))
                rows.append((
                    user_id, name, name.lower(),
                    first[int(r() * len(first))], last[int(r() * len(last))],
                    f"Sounds from {cities[int(r() * len(cities))]}.",
                    cities[int(r() * len(cities))], country,
                    "premium" if r() < 0.15 else "free", password_hash,
                    None, "", "", created, created,
                ))  # fmt: skip
            yield rows

    def tracks(
        self, ids: range, creators: Sequence[int], pools_out: list[tuple[int, int, int]]
    ) -> Iterator[tuple[list[Tuple], list[Tuple]]]:
        """(track rows, policy rows) batches; owners are drawn skewed from `creators`."""
        r, now, token = self.rng.random, self._now_s, self._derived.secret_token
        n_creators, keys, licenses, labels = len(creators), v.KEYS, v.LICENSES, v.LABELS
        for chunk in _chunks(ids, self.batch):
            tracks, policies, owners = [], [], []
            for track_id in chunk:
                owner = creators[int(n_creators * r() ** 1.5)]
                title, stem = TITLES[int(r() * len(TITLES))]
                genre, description = DESCRIPTIONS[int(r() * len(DESCRIPTIONS))]
                duration = 90_000 + int(r() * 330_000)
                duration = self.track_ms or duration
                created = now - 60 - int(r() * (YEAR_S - 60))
                pools_out.append((track_id, owner, duration))
                owners.append(owner)
                tracks.append((
                    track_id, owner, title, f"{stem}-{track_id}", description, genre,
                    TAG_PAIRS[int(r() * len(TAG_PAIRS))], duration, float(70 + int(r() * 105)),
                    keys[int(r() * len(keys))],
                    f"QZ{track_id:010d}" if r() < 0.3 else None,
                    licenses[int(r() * len(licenses))], labels[int(r() * len(labels))],
                    "", "", created, None, created, created,
                ))  # fmt: skip
                kind = KINDS[track_id % len(KINDS)]
                policies.append((
                    track_id,
                    "private" if kind == "private" else "public",
                    token("track", track_id),
                    now + DAY_S * (7 + int(r() * 173)) if kind == "unreleased" else None,
                    v.RESTRICTED_TERRITORIES[int(r() * len(v.RESTRICTED_TERRITORIES))]
                    if kind == "territory" else None,
                    True, r() < 0.2, True,
                    "premium" if kind == "premium" else "none",
                    created if kind == "taken_down" else None,
                    "copyright claim (demo)" if kind == "taken_down" else "",
                    created,
                ))  # fmt: skip
            self.tally.add_ids("users", "tracks", owners)
            yield tracks, policies

    def playlists(self, ids: range, pools: Pools) -> Iterator[tuple[list[Tuple], list[Tuple]]]:
        """(playlist rows, entry rows) batches; a quarter are albums of the owner's own tracks."""
        rng, r, now = self.rng, self.rng.random, self._now_s
        owners = [u for u, ts in pools.by_owner.items() if len(ts) >= 3]
        genres, tags, labels, duration = v.GENRES, v.TAGS, v.LABELS, pools.duration
        for chunk in _chunks(ids, max(1, self.batch // 10)):
            rows: list[Tuple] = []
            entries: list[Tuple] = []
            makers: list[int] = []
            for playlist_id in chunk:
                album = bool(owners) and r() < 0.25
                owner = owners[int(r() * len(owners))] if album else self._skewed(pools.users, 1.3)
                source = pools.by_owner[owner] if album else pools.visible
                size = min(len(source), 4 + int(r() * 12))
                chosen = rng.sample(source, size) if source else []
                title, stem = TITLES[int(r() * len(TITLES))]
                created = now - 60 - int(r() * (YEAR_S - 60))
                makers.append(owner)
                self.tally.add("playlists", playlist_id, "tracks", len(chosen))
                total = sum(duration.get(t, 0) for t in chosen)
                self.tally.add("playlists", playlist_id, "duration_ms", total)
                rows.append((
                    playlist_id, owner, title, f"{stem}-{playlist_id}", "",
                    "album" if album else "playlist",
                    "private" if r() < 0.1 else "public",
                    self._derived.secret_token("playlist", playlist_id),
                    genres[int(r() * len(genres))], tags[int(r() * len(tags))],
                    labels[int(r() * len(labels))] if album else "",
                    created if album else None, None, 0, created, created,
                ))  # fmt: skip
                entries.extend((playlist_id, t, i, created) for i, t in enumerate(chosen, 1))
            self.tally.add_ids("users", "playlists", makers)
            yield rows, entries

    def edges(
        self, n: int, users: Sequence[int], targets: Sequence[int], *, distinct: bool = False
    ) -> Iterator[list[Edge]]:
        """Batches of `n` distinct (user, target, time) edges, targets skewed by popularity;
        at most half of all possible pairs (`distinct`: no user→self edges, for follows)."""
        n = min(n, len(users) * len(targets) // 2)
        r, now, n_users, n_targets = self.rng.random, self._now_s, len(users), len(targets)
        seen: set[int] = set()
        made = 0
        while made < n:
            batch: list[Edge] = []
            want = min(self.batch, n - made)
            while len(batch) < want:
                user = users[int(r() * n_users)]
                target = targets[int(n_targets * r() ** 1.6)]
                key = user << 32 | target
                if key in seen or (distinct and user == target):
                    continue
                seen.add(key)
                batch.append((user, target, now - 60 - int(r() * (YEAR_S - 60))))
            made += len(batch)
            yield batch

    def comments(self, n: int, pools: Pools) -> Iterator[list[Tuple]]:
        r, now, users, visible = self.rng.random, self._now_s, pools.users, pools.visible
        bodies, duration = v.COMMENTS, pools.duration
        for chunk in _chunks(range(n), self.batch):
            rows = []
            for _ in chunk:
                track_id = visible[int(len(visible) * r() ** 1.6)]
                user_id = users[int(r() * len(users))]
                length = duration.get(track_id, 0)
                rows.append((
                    track_id, user_id, bodies[int(r() * len(bodies))],
                    int(r() * length) if length else None,
                    now - 60 - int(r() * (YEAR_S - 60)),
                ))  # fmt: skip
            self.tally.add_ids("tracks", "comments", (row[0] for row in rows))
            self.tally.add_ids("users", "comments", (row[1] for row in rows))
            yield rows

    def plays(self, n: int, pools: Pools) -> Iterator[list[Tuple]]:
        r, now, users, visible = self.rng.random, self._now_s, pools.users, pools.visible
        countries, territory_of = v.COUNTRIES, self.countries.get
        for chunk in _chunks(range(n), self.batch):
            rows = []
            for _ in chunk:
                track_id = visible[int(len(visible) * r() ** 1.8)]
                if r() < 0.7:
                    user_id: int | None = users[int(r() * len(users))]
                    territory = territory_of(user_id)  # type: ignore[arg-type]
                else:
                    user_id, territory = None, countries[int(r() * len(countries))]
                played = now - 60 - int(r() * (90 * DAY_S - 60))
                rows.append((track_id, user_id, None, territory, played))
            self.tally.add_ids("tracks", "plays", (row[0] for row in rows))
            yield rows

    def web_profiles(self, users: Sequence[tuple[int, str]]) -> Iterator[list[Row]]:
        rows = []
        for user_id, username in users:
            for service in self.rng.sample(v.WEB_SERVICES, self.rng.randrange(1, 3)):
                rows.append({
                    "user_id": user_id,
                    "service": service,
                    "title": f"{username} on {service}",
                    "url": f"https://{service}.example/{username}",
                    "username": username,
                    "created_at": self._now,
                })  # fmt: skip
        yield rows
