"""Wall and CPU milliseconds of catalogue searches that miss every cache, in process.

    python -m bench.search_probe [--backend sqlite|postgres] [--size 100000] [--queries 300]
                                 [--rounds 3] [--url DATABASE_URL]

Each round builds new services (empty caches) and runs the first page (limit 50) of the long
tail's distinct one- and two-word queries (bench.catalog: words of the catalog's own titles,
tags and genres), each once, as an anonymous viewer through the Tracks VAS, so the figure is the
search statement plus the page's track records, without HTTP. Prints, per round and as medians:
wall ms per search (p50, p90, max) and process CPU ms per search. The catalog is
bench/prepare's (seeded once into var/bench/ and kept).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from app.value_added.access import Viewer
from app.value_added.common.fieldmask import FieldMask
from app.value_added.registry import build_services
from app.value_added.tracks import TrackQuery
from bench.prepare import SECRET, prepare


async def _round(url: str, queries: list[str]) -> tuple[list[float], float]:
    services = build_services(url, SECRET)
    viewer = Viewer.anonymous()
    mask = FieldMask.all()
    walls: list[float] = []
    try:
        # (compile statements, open the pool: on a query that matches nothing)
        await services.tracks.search(viewer, TrackQuery(text="zz"), mask, None, 50)
        cpu = time.process_time()
        for q in queries:
            start = time.perf_counter()
            await services.tracks.search(viewer, TrackQuery(text=q), mask, None, 50)
            walls.append((time.perf_counter() - start) * 1000)
        cpu_ms = (time.process_time() - cpu) * 1000 / len(queries)
    finally:
        await services.close()
    return walls, cpu_ms


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--url", help="search this copy of the catalog instead (e.g. migrated differently)"
    )
    args = parser.parse_args()
    fixtures, catalog = prepare(args.backend, args.size)
    url = args.url or fixtures.database_url
    queries = catalog.search_queries[:: max(1, len(catalog.search_queries) // args.queries)]
    queries = queries[: args.queries]
    print(f"{args.backend}, {args.size:,} tracks, {len(queries)} distinct queries, limit 50")
    rows = []
    for n in range(args.rounds):
        walls, cpu = asyncio.run(_round(url, queries))
        row = (statistics.median(walls), _pct(walls, 0.9), max(walls), cpu)
        rows.append(row)
        print(f"round {n + 1}: wall p50 {row[0]:.2f} p90 {row[1]:.2f} max {row[2]:.2f} ms; "
              f"CPU {row[3]:.2f} ms/search")  # fmt: skip
    med = [statistics.median(r[i] for r in rows) for i in range(4)]
    print(f"median: wall p50 {med[0]:.2f} p90 {med[1]:.2f} max {med[2]:.2f} ms; "
          f"CPU {med[3]:.2f} ms/search")  # fmt: skip


if __name__ == "__main__":
    main()
