"""Random draws for the long-tail scenarios, written as fixed-width records wrk's Lua slices.

A record is `<value> <user>` padded with spaces to a fixed width and ended by a newline: the
value goes into the path (or body) of request i, the user picks the request's token. Fixed
widths let `bench/stream.lua` read the whole file as one string at start-up and take record i
with one `string.match` at an offset: no per-record Lua objects, so millions of records cost
wrk a few megabytes and no start-up time inside the measured window.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Sequence
from pathlib import Path

ZIPF_S = 1.1

Draw = Callable[[random.Random, int], list[int]]
"""(rng, how many) -> indices into the population."""


def uniform(population: int) -> Draw:
    def draw(rng: random.Random, k: int) -> list[int]:
        return [int(rng.random() * population) for _ in range(k)]

    return draw


def zipf(population: int, s: float = ZIPF_S) -> Draw:
    """Zipf(s) over ranks 1..population: rank r is drawn with probability ∝ r^-s. The caller
    maps ranks onto a shuffled population, so popularity is independent of id and age."""
    cumulative = list(itertools.accumulate(r**-s for r in range(1, population + 1)))

    def draw(rng: random.Random, k: int) -> list[int]:
        return rng.choices(range(population), cum_weights=cumulative, k=k)  # bisect per draw

    return draw


def ranked(population: Sequence[int], seed: int) -> list[int]:
    """The population in a random popularity order (rank -> item)."""
    order = list(population)
    random.Random(seed).shuffle(order)
    return order


def write_records(path: Path, values: Sequence[str], users: Sequence[int]) -> int:
    """Write `value user` records of one fixed width; returns the width (newline included)."""
    width = max(len(v) for v in values) + 1 + len(str(max(users))) + 1
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as out:
        for value, user in zip(values, users, strict=True):
            out.write(f"{value} {user}".ljust(width - 1) + "\n")
    return width
