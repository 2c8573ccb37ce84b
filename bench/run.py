"""`make bench`: every scenario at each catalog size on each backend, next to the hello-world
ceiling measured in the same run; writes bench/results/latest.{json,md} and prints the table.

    python -m bench.run [--sizes 10000,1000000] [--backends sqlite,postgres] [--seconds 10]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
from pathlib import Path
from typing import Any

import httpx
import msgspec

from bench import report
from bench.prepare import SECRET, prepare
from bench.scenarios import scenarios
from bench.servers import serving
from bench.statements import statements_per_request
from bench.wrk import LoadResult, ensure_wrk, lua_script, run_wrk

RESULTS = Path(__file__).parent / "results"
SERVER = "granian"
WORKERS = {"sqlite": 1, "postgres": 2}
WARM_SECONDS = 5
"""Load before each measurement, after the one-pass warm-up: long enough for every worker's
caches to reach their steady state (with 2 s, the first scenario on 2 fresh workers still
showed p99 spikes of 50-80 ms; 6 ms once warm)."""


class Row(msgspec.Struct):
    backend: str
    tracks: int
    scenario: str
    load: LoadResult
    ceiling_rps: float
    ratio: float
    statements_cold: int
    statements_warm: int


def _env(backend: str, url: str) -> dict[str, str]:
    env = {"DATABASE_URL": url, "SECRET_KEY": SECRET, "IN_PROCESS_WORKERS": "false"}
    if backend == "postgres":
        env["REDIS_URL"] = "redis://127.0.0.1:6379/3"
    # the benchmark measures throughput, not the abuse limits
    env.update(
        RATE_LIMIT_APP_PER_MINUTE="100000000",
        RATE_LIMIT_USER_PER_MINUTE="100000000",
        RATE_LIMIT_WRITES_PER_MINUTE="100000000",
    )
    return env


def warm_up(base: str, requests: list[dict[str, Any]]) -> None:
    """One pass over every distinct request, so wrk measures the steady state (the cold cost
    of each scenario is reported separately, as SQL statements per cold request)."""
    with httpx.Client(base_url=base, timeout=30) as client:
        for r in requests:
            client.request(r["method"], r["path"], headers=r["headers"])


def ceiling(backend: str, seconds: int) -> LoadResult:
    with serving(SERVER, "bench.ceiling_app:create_app", WORKERS[backend], {}, "/hello") as base:
        run_wrk(base + "/hello", None, 2)
        return run_wrk(base + "/hello", None, seconds)


def measure(backend: str, size: int, seconds: int) -> list[Row]:
    fixtures = prepare(backend, size)
    statements = statements_per_request(fixtures)
    top = ceiling(backend, seconds)
    rows = []
    env = _env(backend, fixtures.database_url)
    with serving(SERVER, "app.main:create_app", WORKERS[backend], env, "/health") as base:
        for name, requests in scenarios(fixtures).items():
            script = lua_script(f"{backend}-{size}-{name}", requests)
            warm_up(base, requests)
            run_wrk(base, script, WARM_SECONDS)
            load = run_wrk(base, script, seconds)
            print(
                f"{backend:8} {size:>9} {name:20} {load.requests_per_s:9.0f} req/s "
                f"p50 {load.p50_ms:6.2f} ms p99 {load.p99_ms:6.2f} ms errors {load.errors}"
            )
            rows.append(
                Row(
                    backend=backend,
                    tracks=size,
                    scenario=name,
                    load=load,
                    ceiling_rps=top.requests_per_s,
                    ratio=load.requests_per_s / top.requests_per_s,
                    statements_cold=statements[name]["cold"],
                    statements_warm=statements[name]["warm"],
                )
            )
    return rows


def _merged(rows: list[Row]) -> list[Row]:
    """This run's rows, plus the previous results' rows for configurations it did not measure
    (so a partial re-run, e.g. `--backends sqlite --sizes 10000`, updates the table)."""
    path = RESULTS / "latest.json"
    if not path.exists():
        return rows
    measured = {(r.backend, r.tracks) for r in rows}
    previous = msgspec.convert(json.loads(path.read_text())["rows"], list[Row])
    kept = [r for r in previous if (r.backend, r.tracks) not in measured]
    order = {"sqlite": 0, "postgres": 1}
    return sorted(kept + rows, key=lambda r: (order.get(r.backend, 9), r.tracks))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    ensure_wrk()
    rows: list[Row] = []
    for backend in args.backends.split(","):
        for size in (int(s) for s in args.sizes.split(",")):
            rows.extend(measure(backend, size, args.seconds))
            table = save(rows, args.seconds)  # after each configuration: a crash keeps results
    print(table)


def save(rows: list[Row], seconds: int) -> str:
    RESULTS.mkdir(exist_ok=True)
    merged = _merged(rows)
    meta = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()} {platform.processor() or ''} cores=2",
        "server": SERVER,
        "workers": WORKERS,
        "connections": 32,
        "seconds": seconds,
    }
    (RESULTS / "latest.json").write_text(
        json.dumps({"meta": meta, "rows": msgspec.to_builtins(merged)}, indent=2)
    )
    table = report.markdown(meta, merged)
    (RESULTS / "latest.md").write_text(table)
    return table


if __name__ == "__main__":
    main()
