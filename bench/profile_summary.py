"""Summarize a py-spy raw (collapsed stacks) profile: top frames and layers, by share of samples.

    python -m bench.profile_summary PROFILE.txt [--within FRAME] [--top 15]

Only stacks containing `--within` (default: the miss probe's per-request call) count, so the
setup of a probe run is left out. Prints the frames with the largest own (leaf) share, the
frames with the largest inclusive share, and the own share of each layer (the leaf's package).
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

_FRAME = re.compile(r"^(?P<name>.*) \((?P<file>[^():]*)(:\d+)?\)$")
LAYERS = (
    ("sqlalchemy", "sqlalchemy/"),
    ("litestar", "litestar/"),
    ("msgspec", "msgspec/"),
    ("logging", "logging/"),
    ("structlog", "structlog/"),
    ("asyncio", "asyncio/"),
    ("app/edge", "app/edge/"),
    ("app/value_added", "app/value_added/"),
    ("app/foundation", "app/foundation/"),
    ("app/caching", "app/caching/"),
    ("app/telemetry", "app/telemetry/"),
    ("sqlite3 driver", "sqlite3/"),
)


def frame(raw: str) -> str:
    """`function (file)`: the frame without its line number."""
    m = _FRAME.match(raw)
    return f"{m['name']} ({m['file']})" if m else raw


def layer(raw: str) -> str:
    for name, marker in LAYERS:
        if marker in raw:
            return name
    return "other (stdlib, C, idle)"


def summarize(path: Path, within: str, top: int) -> None:
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    layers: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if within not in stack:
            continue
        n = int(count)
        frames = [frame(f) for f in stack.split(";")]
        cut = next(i for i, f in enumerate(frames) if within in f)
        frames = frames[cut + 1 :] or frames[-1:]
        total += n
        own[frames[-1]] += n
        layers[layer(stack.split(";")[-1])] += n
        for f in set(frames):
            inclusive[f] += n
    print(f"{total} samples within {within!r}")
    print(f"\nTop {top} frames by own (leaf) share:")
    for f, n in own.most_common(top):
        print(f"  {n / total:6.1%}  {f}")
    print(f"\nTop {top} frames by inclusive share:")
    for f, n in inclusive.most_common(top):
        print(f"  {n / total:6.1%}  {f}")
    print("\nOwn share by layer:")
    for name, n in layers.most_common():
        print(f"  {n / total:6.1%}  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("profile", type=Path)
    parser.add_argument("--within", default="status_of (bench/asgi.py")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    summarize(args.profile, args.within, args.top)


if __name__ == "__main__":
    main()
