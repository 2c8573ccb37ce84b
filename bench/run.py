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
            run_wrk(base, script, 2)
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
    RESULTS.mkdir(exist_ok=True)
    meta = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()} {platform.processor() or ''} cores=2",
        "server": SERVER,
        "workers": WORKERS,
        "connections": 32,
        "seconds": args.seconds,
    }
    (RESULTS / "latest.json").write_text(
        json.dumps({"meta": meta, "rows": msgspec.to_builtins(rows)}, indent=2)
    )
    table = report.markdown(meta, rows)
    (RESULTS / "latest.md").write_text(table)
    print(table)


if __name__ == "__main__":
    main()
