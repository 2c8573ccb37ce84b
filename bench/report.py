"""The results as a Markdown table, with each scenario's target and whether it was met."""

from __future__ import annotations

from typing import Any

TARGETS = {
    "mobile_track": 0.35,
    "web_track_fields": 0.35,
    "public_track": 0.35,
    "mobile_playlist_100": 0.08,
    "public_search": 0.05,
}
LIKES_PER_S = 1000
P99_MS = 20.0


def _verdict(row: Any) -> str:
    if row.scenario == "like_unlike":
        ok = row.load.requests_per_s >= LIKES_PER_S or row.backend != "sqlite"
        return "met" if ok else f"missed by {LIKES_PER_S - row.load.requests_per_s:.0f}/s"
    target = TARGETS[row.scenario]
    misses = []
    if row.ratio < target:
        misses.append(f"ratio {row.ratio:.0%} < {target:.0%}")
    if target == 0.35 and row.load.p99_ms > P99_MS:
        misses.append(f"p99 {row.load.p99_ms:.1f} > {P99_MS:.0f} ms")
    return "met" if not misses else "missed: " + "; ".join(misses)


def markdown(meta: dict[str, Any], rows: list[Any]) -> str:
    lines = [
        f"# Soundstack benchmark — {meta['when']}",
        "",
        f"{meta['server']}, workers {meta['workers']}, wrk {meta['connections']} connections, "
        f"{meta['seconds']} s per scenario, on {meta['machine']}.",
        "",
        "| backend | tracks | scenario | req/s | p50 ms | p99 ms | errors | ceiling req/s | "
        "ratio | SQL cold/warm | target |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.backend} | {r.tracks:,} | {r.scenario} | {r.load.requests_per_s:,.0f} | "
            f"{r.load.p50_ms:.2f} | {r.load.p99_ms:.2f} | {r.load.errors} | "
            f"{r.ceiling_rps:,.0f} | {r.ratio:.1%} | {r.statements_cold}/{r.statements_warm} | "
            f"{_verdict(r)} |"
        )
    lines += ["", _scale_section(rows)]
    return "\n".join(lines) + "\n"


def _scale_section(rows: list[Any]) -> str:
    """Throughput at the largest catalog relative to the smallest (target ≥ 85%)."""
    out = [
        "## Catalog size",
        "",
        "| backend | scenario | large/small | target ≥ 85% |",
        "|---|---|---:|---|",
    ]
    by_key: dict[tuple[str, str], dict[int, float]] = {}
    for r in rows:
        by_key.setdefault((r.backend, r.scenario), {})[r.tracks] = r.load.requests_per_s
    for (backend, scenario), sizes in by_key.items():
        if len(sizes) < 2:
            continue
        small, large = sizes[min(sizes)], sizes[max(sizes)]
        ratio = large / small if small else 0.0
        out.append(
            f"| {backend} | {scenario} | {ratio:.0%} | {'met' if ratio >= 0.85 else 'missed'} |"
        )
    return "\n".join(out)
