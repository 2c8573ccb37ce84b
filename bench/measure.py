"""One configuration (a backend and a catalog size): every server up at once, the peers checked
against Soundstack, then the rounds of measurements (bench/plan.py), RSS before and after each."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import msgspec

from bench import plan, tail
from bench.catalog import Catalog
from bench.peers import check, shape
from bench.prepare import SECRET, VAR, Fixtures, prepare
from bench.scenarios import scenarios as hot_scenarios
from bench.servers import Served, cpu_seconds, quiesce, rss_mb, serving
from bench.statements import statements_per_request
from bench.wrk import STREAM_LUA, LoadResult, lua_script, run_wrk, stream_args

SERVER = "granian"
WORKERS = {"sqlite": 1, "postgres": 2}
FACTORIES = {
    "soundstack": ("app.main:create_app", "/health"),
    "orm": ("bench.peers.orm_app:create_app", "/tracks/0"),
    "raw": ("bench.peers.raw_app:create_app", "/tracks/0"),
    "ceiling": ("bench.ceiling_app:create_app", "/hello"),
}


class Options(msgspec.Struct, frozen=True):
    scenarios: list[str]
    rounds: int
    seconds: float
    warm: float
    soak: float
    variants: tuple[str, ...] = ()
    """Soundstack variants (plan.VARIANTS) measured next to it on reads."""


class Sample(msgspec.Struct):
    """One measurement: a scenario on a server in one round."""

    round: int
    scenario: str
    server: str
    load: LoadResult
    rss_start_mb: float
    rss_end_mb: float
    drain_s: float = 0.0
    """How long the server was still busy after the load (requests left queued when wrk
    stopped); the next measurement starts only once it is idle."""
    cpu_ms: float = 0.0
    """Server CPU time (all its processes, user + system) per request of the measured load:
    steadier than req/s on a shared machine."""


class Configuration(msgspec.Struct):
    backend: str
    tracks: int
    workers: int
    samples: list[Sample]
    statements: dict[str, dict[str, int]]
    peer_check: dict[str, Any] | None = None
    records: dict[str, int] = {}
    """Records drawn per long-tail scenario."""


def server_env(backend: str, url: str) -> dict[str, str]:
    env = {
        "DATABASE_URL": url,
        "SECRET_KEY": SECRET,
        "IN_PROCESS_WORKERS": "false",
        "BASE_URL": shape.BASE_URL,
        # the benchmark measures throughput, not the abuse limits
        "RATE_LIMIT_APP_PER_MINUTE": "100000000",
        "RATE_LIMIT_USER_PER_MINUTE": "100000000",
        "RATE_LIMIT_WRITES_PER_MINUTE": "100000000",
        "RATE_LIMIT_ANONYMOUS_PER_MINUTE": "100000000",  # (web_track_fields: a bare client_id)
    }
    if backend == "postgres":
        env["REDIS_URL"] = "redis://127.0.0.1:6379/3"
        env["REDIS_PREFIX"] = f"bench-{os.getpid()}"
    return env


class Run:
    """The state of one configuration's measurements: servers, scripts, records cursors."""

    def __init__(
        self,
        backend: str,
        size: int,
        fixtures: Fixtures,
        streams: dict[str, tail.Stream],
        users_file: Path,
        served: dict[str, Served],
        options: Options,
    ) -> None:
        self.backend, self.size = backend, size
        self.fixtures = fixtures
        self.streams = streams
        self.users_file = users_file
        self.served = served
        self.options = options
        self.hot = hot_scenarios(fixtures)
        self.cursors = dict.fromkeys(streams, 0)
        self.auth = f"OAuth {fixtures.public_token}"

    def load(self, scenario: str, server: str, seconds: float) -> LoadResult:
        base = self.served[server].base
        if scenario == "ceiling":
            return run_wrk(base + "/hello", None, seconds)
        if scenario == "ceiling_lua":  # the long-tail script, at a server that answers anything
            stream = self.streams["public_track_uniform"]
            args = stream_args(stream, "soundstack", 0, self.users_file, self.auth)
            return run_wrk(base, STREAM_LUA, seconds, args=args)
        if scenario in self.hot:
            script = lua_script(f"{self.backend}-{self.size}-{scenario}", self.hot[scenario])
            return run_wrk(base, script, seconds)
        stream = self.streams[scenario]
        args = stream_args(stream, server, self.cursors[scenario], self.users_file, self.auth)
        result = run_wrk(base, STREAM_LUA, seconds, args=args)
        self.cursors[scenario] = result.cursor  # the next load starts after every record used
        return result

    def one(self, round_index: int, m: plan.Measurement) -> Sample:
        pid = self.served[m.server].pid
        rss_start = rss_mb(pid)
        if m.scenario in self.hot:
            warm_up(self.served[m.server].base, self.hot[m.scenario])
        self.load(m.scenario, m.server, self.options.warm)
        cpu_start = cpu_seconds(pid)
        load = self.load(m.scenario, m.server, self.options.seconds)
        cpu = (cpu_seconds(pid) - cpu_start) * 1000 / max(load.requests, 1)
        rss_end = rss_mb(pid)
        drain = quiesce(pid)
        return Sample(round_index, m.scenario, m.server, load, rss_start, rss_end, drain, cpu)


def warm_up(base: str, requests: list[dict[str, Any]]) -> None:
    """One pass over every distinct request of a hot-set scenario, so wrk measures the steady
    state (the cold cost is reported separately, as SQL statements per cold request)."""
    with httpx.Client(base_url=base, timeout=30) as client:
        for r in requests:
            client.request(r["method"], r["path"], headers=r["headers"])


def _samples_for_statements(
    fixtures: Fixtures, streams: dict[str, tail.Stream], users: list[tuple[str, int]]
) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    out = {}
    for name, requests in hot_scenarios(fixtures).items():
        out[name] = (requests[0], requests[1] if name == "like_unlike" else requests[0])
    for name, stream in streams.items():
        first = stream.request(0, "soundstack", users, fixtures.public_token)
        second = stream.request(1 if name in tail.WRITES else 0, "soundstack", users,
                                fixtures.public_token)  # fmt: skip
        out[name] = (first, second)
    return out


def _sanity(run: Run, scenarios: list[str], users: list[tuple[str, int]]) -> None:
    """Every scenario's first request answers 2xx on every server, before any load."""
    with httpx.Client(timeout=30) as client:
        for name in scenarios:
            if name not in run.streams:
                continue
            stream = run.streams[name]
            for server in plan.servers_of(name, run.options.variants):
                r = stream.request(0, server, users, run.fixtures.public_token)
                answer = client.request(
                    r["method"], run.served[server].base + r["path"], headers=r["headers"],
                    content=r["body"],
                )  # fmt: skip
                if answer.status_code >= 400:
                    raise RuntimeError(
                        f"{name} on {server}: {r['method']} {r['path']} answered "
                        f"{answer.status_code} {answer.text[:300]}"
                    )


class Inputs(msgspec.Struct):
    """A configuration's catalog, ready for this run: fixtures, records files, users file."""

    fixtures: Fixtures
    catalog: Catalog
    streams: dict[str, tail.Stream]
    users: list[tuple[str, int]]
    """(token, own playlist) of each long-tail user, in the users file's order."""
    users_file: Path


def inputs(backend: str, size: int, counts: dict[str, int], tag: str = "") -> Inputs:
    fixtures, catalog = prepare(backend, size)
    directory = VAR / "streams" / f"{backend}-{size}{tag}"
    streams = tail.build(catalog, fixtures.tail_user_ids, directory, counts)
    users = list(zip(fixtures.tail_tokens, fixtures.tail_playlists, strict=True))
    directory.mkdir(parents=True, exist_ok=True)  # (no long-tail scenario asked: none built it)
    users_file = directory / "users.txt"
    users_file.write_text("".join(f"{t} {p}\n" for t, p in users))
    return Inputs(fixtures, catalog, streams, users, users_file)


def measure(
    backend: str, size: int, options: Options, progress: Callable[[str], None]
) -> Configuration:
    wanted = [s for s in options.scenarios if s in tail.ALL]
    if "ceiling_lua" in options.scenarios and "public_track_uniform" not in wanted:
        wanted.append("public_track_uniform")  # (the Lua check reads its records)
    counts = plan.record_counts(
        wanted, options.rounds, options.seconds, options.warm, 0, options.variants
    )
    got = inputs(backend, size, counts)
    fixtures, catalog, streams, users = got.fixtures, got.catalog, got.streams, got.users
    chosen = {s: streams[s] for s in streams if s in options.scenarios}
    samples = _samples_for_statements(fixtures, chosen, users)
    samples = {k: v for k, v in samples.items() if k in options.scenarios}
    statements = statements_per_request(fixtures, samples)
    needed = {srv for s in options.scenarios for srv in plan.servers_of(s, options.variants)}
    env = server_env(backend, fixtures.database_url)
    workers = WORKERS[backend]
    with ExitStack() as stack:
        served: dict[str, Served] = {}
        for name in ("soundstack", "orm", "raw", "ceiling"):
            if name in needed:
                factory, probe = FACTORIES[name]
                served[name] = stack.enter_context(serving(SERVER, factory, workers, env, probe))
        for name in options.variants:
            factory, probe = FACTORIES["soundstack"]
            changed = {**env, **plan.VARIANTS[name]}
            served[name] = stack.enter_context(serving(SERVER, factory, workers, changed, probe))
        run = Run(backend, size, fixtures, streams, got.users_file, served, options)
        peer_check = None
        if {"orm", "raw"} & needed:
            visible = set(catalog.visible_track_ids)
            hidden = [i for i in range(1, 200) if i not in visible][:3]
            peer_check = check.compare(
                served["soundstack"].base,
                {p: served[p].base for p in ("orm", "raw") if p in served},
                fixtures.public_token,
                catalog.visible_track_ids,
                hidden,
            )
        _sanity(run, options.scenarios, users)
        for server in served.values():
            quiesce(server.pid)
        results = []
        total = options.rounds * len(plan.round_order(options.scenarios, 0, options.variants))
        started = time.monotonic()
        for r in range(options.rounds):
            for m in plan.round_order(options.scenarios, r, options.variants):
                sample = run.one(r, m)
                results.append(sample)
                left = (time.monotonic() - started) / len(results) * (total - len(results))
                progress(_line(backend, size, sample, left))
    return Configuration(
        backend, size, workers, results, statements, peer_check,
        {name: s.count for name, s in streams.items()},
    )  # fmt: skip


def _line(backend: str, size: int, s: Sample, left: float) -> str:
    load = s.load
    wrapped = " WRAPPED" if load.wrapped else ""
    return (
        f"{backend:8} {size:>9} r{s.round + 1} {s.scenario:22} {s.server:10} "
        f"{load.requests_per_s:9.0f} req/s p50 {load.p50_ms:7.2f} p99 {load.p99_ms:7.2f} ms "
        f"err {load.errors:<5} CPU {s.cpu_ms:5.2f} ms/req "
        f"RSS {s.rss_start_mb:5.0f}->{s.rss_end_mb:5.0f} MB "
        f"drain {s.drain_s:4.1f} s (~{left / 60:.0f} min left){wrapped}"
    )
