"""Cache lookups are counted without a lock each and reach the metric families within a
second, and before any scrape of the process."""

from __future__ import annotations

from prometheus_client import REGISTRY

from app.telemetry import metrics as telemetry
from app.telemetry.metrics import CacheMeter, exposition


def _hits(cache: str) -> float:
    return REGISTRY.get_sample_value("soundstack_cache_hits_total", {"cache": cache}) or 0.0


def test_lookups_reach_the_families_before_a_scrape_and_after_a_second() -> None:
    meter = CacheMeter("meter-test")
    start = _hits("meter-test")
    meter.looked_up(3, 1)
    meter.looked_up(2, 0)
    assert _hits("meter-test") == start  # (counted, not yet added)
    body, _ = exposition(None)
    assert _hits("meter-test") == start + 5
    assert b'soundstack_cache_misses_total{cache="meter-test"} 1.0' in body
    meter.looked_up(1, 0)
    meter._flushed -= telemetry.FLUSH_SECONDS  # (a second has passed since the last flush)
    meter.looked_up(1, 0)
    assert _hits("meter-test") == start + 7
