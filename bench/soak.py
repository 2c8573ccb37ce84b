"""The soak: uniform public track reads on a fresh server for minutes, workers' RSS every 10 s."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import msgspec
import psutil

from app.caching.budget import DEFAULT_MAX_BYTES
from bench import tail
from bench.measure import SERVER, WORKERS, server_env
from bench.prepare import Fixtures
from bench.servers import serving
from bench.wrk import STREAM_LUA, command, parse, stream_args

INTERVAL = 10.0
HEADROOM_MB = 30.0
FLAT_WINDOW_S = 60.0
"""The reads go on this long after the soak's `seconds`; flatness is judged over it."""
FLAT_MB = 5.0
"""Flat: no worker grew more than this afterwards (target, issue 13: RSS after 5 minutes of
uniform reads at most start + CACHE_MAX_BYTES + 30 MB, flat afterwards)."""


class Soak(msgspec.Struct):
    backend: str
    tracks: int
    seconds: float
    cache_max_bytes: int | None
    samples: list[tuple[float, list[float]]]
    """(seconds since start, RSS MB of each worker)."""
    requests_per_s: float
    errors: int
    wrapped: bool
    after: float = 0.0
    """Seconds the reads went on past `seconds` (0 in results saved before it existed: then
    flatness is judged over the last minute of `seconds`)."""

    def _at(self, when: float) -> list[float]:
        return next((rss for t, rss in self.samples if t >= when), self.samples[-1][1])

    def growth(self) -> list[float]:
        """Each worker's RSS after `seconds` above its start."""
        first, mark = self.samples[0][1], self._at(self.seconds)
        return [b - a for a, b in zip(first, mark, strict=False)]

    def growth_after(self) -> list[float]:
        """Each worker's growth from `seconds` to the end (the last minute if `after` is 0)."""
        end_t, end = self.samples[-1]
        start = self._at(self.seconds if self.after else end_t - FLAT_WINDOW_S)
        return [b - a for a, b in zip(start, end, strict=False)]


def _workers(pid: int) -> list[psutil.Process]:
    main = psutil.Process(pid)
    return main.children(recursive=True) or [main]


def soak(
    backend: str,
    size: int,
    fixtures: Fixtures,
    stream: tail.Stream,
    users_file: Path,
    seconds: float,
    progress: Callable[[str], None],
) -> Soak:
    raw = os.environ.get("CACHE_MAX_BYTES")
    budget = int(raw) if raw and raw.isdigit() else DEFAULT_MAX_BYTES  # (what the server uses)
    env = server_env(backend, fixtures.database_url)
    workers = WORKERS[backend]
    with serving(SERVER, "app.main:create_app", workers, env, "/health") as served:
        procs = _workers(served.pid)
        auth = f"OAuth {fixtures.public_token}"
        args = stream_args(stream, "soundstack", 0, users_file, auth)
        cmd = command(served.base, STREAM_LUA, seconds + FLAT_WINDOW_S, args)
        started = time.monotonic()
        samples = [(0.0, [p.memory_info().rss / 1e6 for p in procs])]
        wrk = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        while wrk.poll() is None:
            time.sleep(INTERVAL - (time.monotonic() - started) % INTERVAL)
            at = time.monotonic() - started
            rss = [p.memory_info().rss / 1e6 for p in procs]
            samples.append((round(at, 1), rss))
            progress(
                f"soak {backend} {size}: {at:5.0f} s  RSS "
                + " ".join(f"{r:.0f}" for r in rss)
                + " MB"
            )
        out, err = wrk.communicate()
    if wrk.returncode != 0:
        raise RuntimeError(f"wrk failed: {err[-2000:]}")
    load = parse(out)
    return Soak(
        backend,
        size,
        seconds,
        budget,
        samples,
        load.requests_per_s,
        load.errors,
        load.wrapped,
        FLAT_WINDOW_S,
    )
