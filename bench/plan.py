"""What one run measures, in which order, how many records each long-tail scenario needs, and
how long it all takes.

Each round measures every selected scenario on every server that serves it; rounds repeat
(A B C … A B C …, never A A A), and within a round the servers of a scenario take turns
going first, so slow drifts of a shared machine fall on all of them alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from bench import tail

CEILING = ("ceiling", "ceiling_lua")
"""Hello world without a script (the ceiling) and with the long-tail script (what Lua costs)."""
HOT = (
    "mobile_track",
    "web_track_fields",
    "public_track",
    "mobile_playlist_100",
    "public_search",
    "like_unlike",
)
"""Today's hot-set scenarios: a few hundred ids, one playlist, one query (bench/scenarios.py)."""
GROUPS = {
    "hot": HOT,
    "tail": tail.READS,
    "writes": tail.WRITES,
    "all": HOT + tail.ALL,
}
SERVERS = {"ceiling": ("ceiling",), "ceiling_lua": ("ceiling",)}
VARIANTS = {"soundstack_uncached": {"RESPONSE_CACHE": "false"}}
"""Soundstack with other settings, measured next to it on every read it serves when asked
(`--compare-response-cache`): the same code, the environment changed as given."""
COMPARED_READS = ("mobile_track", "web_track_fields", "public_track")
"""The hot-set reads a variant is measured on too (besides every long-tail read)."""
READ_RATE_BOUND = 20_000
"""Requests/s no server reaches on this machine (the hello-world ceiling is ~17,000-29,000):
records files hold enough for every measurement at this rate, and a run that still runs out
says so (`wrapped`)."""
WRITE_RATE_BOUND = 5_000
MAX_RECORDS = 3_000_000
SEED_SECONDS_PER_TRACK = {"sqlite": 70e-6, "postgres": 300e-6}
"""Seeding a catalog: 1,000,000 tracks took ~65 s on SQLite on a quiet machine; on a busy one
316 s (SQLite) and 913 s (PostgreSQL)."""
FIXTURE_SECONDS = 90
"""Once per new catalog: the bench apps, 200 users with passwords, the hot-set's fixtures."""
OVERHEAD_SECONDS = 1.0
"""Per measurement: wrk start-up, RSS sampling, the hot-set's one-pass warm-up."""
PREPARE_SECONDS = 60
"""Per configuration: tokens, playlists, draws, statement counts, server start-up, checks."""


class Measurement(NamedTuple):
    scenario: str
    server: str


def select(spec: str) -> list[str]:
    """Scenario names from `--scenarios` (names and groups, comma-separated), in run order."""
    wanted: set[str] = set()
    for part in (p.strip() for p in spec.split(",") if p.strip()):
        if part in GROUPS:
            wanted.update(GROUPS[part])
        elif part in HOT or part in tail.ALL or part in CEILING:
            wanted.add(part)
        else:
            known = ", ".join([*GROUPS, *HOT, *tail.ALL])
            raise SystemExit(f"unknown scenario {part!r} (known: {known})")
    ordered = [s for s in HOT + tail.ALL if s in wanted]
    lua = any(s in tail.ALL for s in ordered)
    return ["ceiling", *(["ceiling_lua"] if lua else []), *ordered]


def servers_of(scenario: str, variants: Sequence[str] = ()) -> tuple[str, ...]:
    """The servers measured on `scenario`: Soundstack, its `variants` on reads, the peers."""
    if scenario in SERVERS:
        return SERVERS[scenario]
    servers: tuple[str, ...] = ("soundstack",)
    if scenario in tail.SPECS:
        servers = tail.SPECS[scenario][1].get("servers", servers)
    if scenario in tail.READS or scenario in COMPARED_READS:
        servers = (servers[0], *variants, *servers[1:])
    return servers


def round_order(
    scenarios: Sequence[str], round_index: int, variants: Sequence[str] = ()
) -> list[Measurement]:
    order = []
    for scenario in scenarios:
        servers = servers_of(scenario, variants)
        turn = round_index % len(servers)
        order += [Measurement(scenario, s) for s in (*servers[turn:], *servers[:turn])]
    return order


def record_counts(
    scenarios: Sequence[str],
    rounds: int,
    seconds: float,
    warm: float,
    soak: float,
    variants: Sequence[str] = (),
) -> dict[str, int]:
    """Records each long-tail scenario needs: every measurement (warm-up included) of every
    server at the rate bound, plus `soak` seconds of public uniform reads."""
    counts = {}
    for name in scenarios:
        if name not in tail.ALL:
            continue
        rate = WRITE_RATE_BOUND if name in tail.WRITES else READ_RATE_BOUND
        needed = rate * (warm + seconds) * rounds * len(servers_of(name, variants))
        if name == "public_track_uniform":
            needed += rate * soak
        counts[name] = int(min(MAX_RECORDS, max(needed, 10_000)))
    return counts


def estimate_seconds(
    configurations: Sequence[tuple[str, int, bool]],
    scenarios: Sequence[str],
    rounds: int,
    seconds: float,
    warm: float,
    soak_seconds: float,
    variants: Sequence[str] = (),
) -> float:
    """(backend, tracks, already seeded) configurations -> the run's expected duration."""
    per_round = sum(len(servers_of(s, variants)) for s in scenarios)
    measuring = per_round * rounds * (warm + seconds + OVERHEAD_SECONDS)
    total = 0.0
    for backend, tracks, seeded in configurations:
        total += measuring + PREPARE_SECONDS
        if not seeded:
            total += tracks * SEED_SECONDS_PER_TRACK[backend] + FIXTURE_SECONDS
    soaks = len({b for b, _, _ in configurations}) if soak_seconds else 0
    return total + soaks * (soak_seconds + 20)
