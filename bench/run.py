"""`make bench`: every scenario at each catalog size on each backend, next to the hello-world
ceiling and two peers measured in the same run, in alternating rounds; medians go to
bench/results/latest.{json,md}, and the table is printed.

    python -m bench.run [--sizes 10000,1000000] [--backends sqlite,postgres] [--scenarios all]
                        [--seconds 8] [--warm 3] [--rounds 3] [--soak 300] [--save-baseline]
                        [--compare-response-cache]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import platform
import shlex
import sys
import time
from pathlib import Path
from typing import Any

import msgspec

from bench import plan, report
from bench.measure import SERVER, WORKERS, Configuration, Options, inputs, measure
from bench.prepare import VAR
from bench.soak import Soak, soak
from bench.wrk import CONNECTIONS, ensure_wrk

RESULTS = Path(__file__).parent / "results"
LATEST = RESULTS / "latest.json"
BASELINE = RESULTS / "baseline.json"


class Results(msgspec.Struct):
    meta: dict[str, Any]
    configurations: list[Configuration]
    soaks: list[Soak] = []


def _load(path: Path) -> Results | None:
    """Results of an earlier run (None if absent, or written by the older single-run harness)."""
    if not path.exists():
        return None
    raw = json.loads(path.read_text())
    if "configurations" not in raw:
        return None
    return msgspec.convert(raw, Results)


def _merged(run: Results) -> Results:
    """This run's results, plus the previous run's for configurations it did not measure (so a
    partial re-run, e.g. `--backends sqlite --sizes 10000`, updates the table)."""
    previous = _load(LATEST)
    if previous is None:
        return run
    measured = {(c.backend, c.tracks) for c in run.configurations}
    kept = [c for c in previous.configurations if (c.backend, c.tracks) not in measured]
    order = {"sqlite": 0, "postgres": 1}
    configs = sorted(kept + run.configurations, key=lambda c: (order.get(c.backend, 9), c.tracks))
    soaked = {(k.backend, k.tracks) for k in run.soaks}
    soaks = [k for k in previous.soaks if (k.backend, k.tracks) not in soaked] + run.soaks
    return Results(run.meta, configs, soaks)


def save(run: Results, save_baseline: bool) -> str:
    RESULTS.mkdir(exist_ok=True)
    merged = _merged(run)
    encoded = json.dumps(msgspec.to_builtins(merged), indent=1)
    LATEST.write_text(encoded)
    if save_baseline:
        BASELINE.write_text(encoded)
    baseline = _load(BASELINE)
    table = report.markdown(
        merged.meta,
        merged.configurations,
        merged.soaks,
        baseline.configurations if baseline else (),
    )
    (RESULTS / "latest.md").write_text(table)
    return table


def _soak(backend: str, size: int, options: Options) -> Soak:
    name = "public_track_uniform"
    counts = {name: plan.record_counts([name], 0, 0, 0, options.soak)[name]}
    got = inputs(backend, size, counts, tag="-soak")
    return soak(
        backend, size, got.fixtures, got.streams[name], got.users_file, options.soak, _progress
    )


def main() -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,1000000", help="catalog sizes (tracks)")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument(
        "--scenarios",
        default="all",
        help="names or groups (hot, tail, writes, all), comma-separated; the ceiling always runs",
    )
    parser.add_argument("--seconds", type=float, default=8, help="measured seconds per load")
    parser.add_argument("--warm", type=float, default=3, help="warm-up seconds before each load")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (medians)")
    parser.add_argument(
        "--soak",
        type=float,
        default=300,
        help="seconds of the RSS soak on each backend's largest catalog (0: none)",
    )
    parser.add_argument(
        "--save-baseline",
        action="store_true",
        help="also keep these results as bench/results/baseline.json (hot-set regressions are "
        "judged against it)",
    )
    parser.add_argument(
        "--compare-response-cache",
        action="store_true",
        help="also measure every read on Soundstack with RESPONSE_CACHE=false, in the same rounds",
    )
    args = parser.parse_args()
    options = Options(
        scenarios=plan.select(args.scenarios),
        rounds=args.rounds,
        seconds=args.seconds,
        warm=args.warm,
        soak=args.soak,
        variants=("soundstack_uncached",) if args.compare_response_cache else (),
    )
    backends = [b for b in args.backends.split(",") if b]
    sizes = [int(s) for s in args.sizes.split(",") if s]
    ensure_wrk()
    configurations = [(b, n, (VAR / f"{b}-{n}.json").exists()) for b in backends for n in sizes]
    expected = plan.estimate_seconds(
        configurations, options.scenarios, options.rounds, options.seconds, options.warm,
        options.soak, options.variants,
    )  # fmt: skip
    print(
        f"bench: {len(options.scenarios)} scenarios x {len(configurations)} configurations x "
        f"{options.rounds} rounds; expected duration ~{expected / 60:.0f} min "
        f"(finishing around {time.strftime('%H:%M', time.localtime(time.time() + expected))})",
        flush=True,
    )
    meta = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()} {platform.processor() or ''} cores=2",
        "server": SERVER,
        "workers": WORKERS,
        "connections": CONNECTIONS,
        "seconds": options.seconds,
        "warm": options.warm,
        "rounds": options.rounds,
        "command": "python -m bench.run " + shlex.join(sys.argv[1:]),
    }
    results = Results(meta, [])
    table = ""
    for backend in backends:
        for size in sizes:
            results.configurations.append(measure(backend, size, options, _progress))
            table = save(results, args.save_baseline)  # after each: a crash keeps results
        if options.soak:
            results.soaks.append(_soak(backend, max(sizes), options))
            table = save(results, args.save_baseline)
    print(table)


def _progress(line: str) -> None:
    print(line, flush=True)


if __name__ == "__main__":
    main()
