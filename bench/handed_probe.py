"""The encoded-once response of the hot track reads against Litestar's, interleaved in one process.

    python -m bench.handed_probe [--backend sqlite|postgres] [--size 50000] [--requests 900]
                                 [--rounds 3] [--block 50]

bench.miss_probe's misses (each round a new app, distinct tracks and owners), in blocks of
`--block` requests that alternate between the two ways the handlers answer: `Encoded`
(kit.representation: the gateway finishes the bytes) and the same body given to Litestar as a
Response (its ASGIResponse, the gateway buffering and re-reading it), so the machine's load
drifts over both alike. Prints CPU ms per request of each, per round and as medians. Run it
with stderr to /dev/null.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from typing import Any

from litestar import Response

from app.edge.kit.representation import Encoded
from app.edge.mobile.routes import tracks as mobile_tracks
from app.edge.public.routes import tracks as public_tracks
from app.main import create_app
from bench import asgi
from bench.miss_probe import WARM, _fixtures, _requests, _tokens, _tracks_of_distinct_owners

WAYS = ("litestar", "encoded")
ANSWER = "Encoded"
"""The name the hot reads' modules answer through (replaced for the `litestar` blocks)."""


def _litestar(body: Any) -> Response[Any]:
    return Response(body, media_type="application/json")


def _answer_by(way: str) -> None:
    """Make both hot reads answer `way`."""
    answer: Any = _litestar if way == "litestar" else Encoded
    for module in (public_tracks, mobile_tracks):
        setattr(module, ANSWER, answer)


async def _round(settings: Any, kind: str, ids: list[int], public: str, tokens: list[str],
                 block: int) -> dict[str, float]:  # fmt: skip
    app = create_app(settings)
    cpu = dict.fromkeys(WAYS, 0.0)
    count = dict.fromkeys(WAYS, 0)
    async with app.lifespan():
        for scope in _requests(kind, ids[:WARM], public, tokens[-WARM:]):
            await asgi.status_of(app, scope)
        scopes = _requests(kind, ids[WARM:], public, tokens)
        for n, start in enumerate(range(0, len(scopes), block)):
            way = WAYS[n % 2]
            _answer_by(way)
            chunk = scopes[start : start + block]
            began = time.process_time()
            for scope in chunk:
                await asgi.status_of(app, scope)
            cpu[way] += time.process_time() - began
            count[way] += len(chunk)
    return {w: cpu[w] / count[w] * 1e3 for w in WAYS}


async def _run(args: argparse.Namespace) -> None:
    f = _fixtures(args.backend, args.size)
    owners = await _tracks_of_distinct_owners(f.database_url)
    per_round = args.requests + WARM
    public, tokens = await _tokens(f, per_round)
    settings = asgi.probe_settings(f.database_url, None)
    results: dict[str, list[dict[str, float]]] = {"public": [], "mobile-warm": []}
    try:
        for r in range(args.rounds):
            for kind, rows in results.items():
                row = await _round(settings, kind, owners[:per_round], public, tokens, args.block)
                rows.append(row)
                print(f"round {r + 1} {kind:11s} " + "  ".join(f"{w} {row[w]:6.3f}" for w in WAYS))
    finally:
        for module in (public_tracks, mobile_tracks):
            setattr(module, ANSWER, Encoded)
    for kind, rows in results.items():
        medians = {w: statistics.median(row[w] for row in rows) for w in WAYS}
        cut = medians["encoded"] / medians["litestar"] - 1
        print(f"median {kind:11s} " + "  ".join(f"{w} {medians[w]:6.3f}" for w in WAYS)
              + f"  ms CPU/request ({cut:+.1%})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=900)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--block", type=int, default=50)
    asyncio.run(_run(parser.parse_args()))


if __name__ == "__main__":
    main()
