"""Soundstack's Prometheus metric families, created on first use (never at import) and
multiprocess-correct: with PROMETHEUS_MULTIPROC_DIR set, every server worker writes its own
files there and `exposition()` sums them (prometheus_client's multiprocess mode)."""

from __future__ import annotations

import os
import time
import weakref
from functools import cache

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, multiprocess
from prometheus_client.exposition import choose_encoder

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)
TRANSCODE_BUCKETS = (0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600)


class Metrics:
    """Every family Soundstack records; labels are bounded sets (route templates, never paths)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter(
            "soundstack_http_requests",
            "HTTP requests answered, by BFF, route template, method and status class.",
            ("bff", "route", "method", "status"),
            registry=registry,
        )
        self.request_seconds = Histogram(
            "soundstack_http_request_duration_seconds",
            "Time to answer an HTTP request, by BFF and route template.",
            ("bff", "route"),
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.rate_limited = Counter(
            "soundstack_rate_limit_rejections",
            "Requests refused by a rate limit (429), by BFF and route template.",
            ("bff", "route"),
            registry=registry,
        )
        self.vas_calls = Counter(
            "soundstack_vas_calls",
            "Value-added service calls, by service, method and outcome (ok; refused: the "
            "service answered with a client-facing error; error: it failed).",
            ("service", "method", "outcome"),
            registry=registry,
        )
        self.vas_seconds = Histogram(
            "soundstack_vas_call_duration_seconds",
            "Time spent in a value-added service call.",
            ("service", "method"),
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.db_statements = Counter(
            "soundstack_db_statements",
            "SQL statements sent to the database, by dialect.",
            ("database",),
            registry=registry,
        )
        self.db_connections_in_use = Gauge(
            "soundstack_db_connections_in_use",
            "Database connections checked out of the pool.",
            ("database",),
            multiprocess_mode="livesum",
            registry=registry,
        )
        self.db_pool_wait_seconds = Histogram(
            "soundstack_db_pool_wait_duration_seconds",
            "Time a unit of work waited for a database connection (from the pool, or a new one).",
            ("database",),
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.transaction_retries = Counter(
            "soundstack_db_transaction_retries",
            "Write transactions run again after losing a race (deadlock, serialization failure).",
            registry=registry,
        )
        self.cache_hits = Counter(
            "soundstack_cache_hits",
            "Look-ups answered from a cache, by cache.",
            ("cache",),
            registry=registry,
        )
        self.cache_misses = Counter(
            "soundstack_cache_misses",
            "Look-ups a cache could not answer (absent, expired or no longer current), by cache.",
            ("cache",),
            registry=registry,
        )
        self.cache_evictions = Counter(
            "soundstack_cache_evictions",
            "Entries a cache dropped to stay within its byte budget, by cache.",
            ("cache",),
            registry=registry,
        )
        self.cache_bytes = Gauge(
            "soundstack_cache_bytes",
            "Estimated bytes a cache holds, by cache (summed over live processes).",
            ("cache",),
            multiprocess_mode="livesum",
            registry=registry,
        )
        self.redis_errors = Counter(
            "soundstack_redis_errors",
            "Redis commands that failed (connection refused, timeout, error reply), by command.",
            ("command",),
            registry=registry,
        )
        self.breaker_open = Gauge(
            "soundstack_breaker_open",
            "1 while a circuit breaker is open (its dependency skipped), else 0, by dependency "
            "(the highest of the live processes).",
            ("dependency",),
            multiprocess_mode="livemax",
            registry=registry,
        )
        self.group_commit_batch = Histogram(
            "soundstack_group_commit_batch_size",
            "Writes committed together in one group-commit transaction.",
            buckets=BATCH_BUCKETS,
            registry=registry,
        )
        self.media_jobs = Counter(
            "soundstack_media_jobs",
            "Media jobs finished by this process, by outcome (done, failed, retried).",
            ("outcome",),
            registry=registry,
        )
        self.media_jobs_running = Gauge(
            "soundstack_media_jobs_running",
            "Media jobs being processed right now.",
            multiprocess_mode="livesum",
            registry=registry,
        )
        self.media_jobs_in_state = Gauge(
            "soundstack_media_jobs_in_state",
            "Media jobs in the database queue by state (queued, running, done, failed), read "
            "when /metrics is scraped.",
            ("state",),
            multiprocess_mode="mostrecent",
            registry=registry,
        )
        self.transcode_seconds = Histogram(
            "soundstack_transcode_duration_seconds",
            "Wall time of one media job (probe, transcodings, waveform).",
            buckets=TRANSCODE_BUCKETS,
            registry=registry,
        )


@cache
def metrics() -> Metrics:
    """The process's metrics, registered in prometheus_client's default registry once."""
    return Metrics(REGISTRY)


def exposition(accept: str | None) -> tuple[bytes, str]:
    """The body and content type of a scrape: OpenMetrics when the scraper asks for it,
    else the Prometheus text format; all worker processes summed in multiprocess mode."""
    metrics()  # every family exists (with no samples) from the first scrape on
    for meter in list(_METERS):  # (this process's lookups, counted up to now)
        meter.flush()
    registry: CollectorRegistry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    encoder, content_type = choose_encoder(accept or "")
    return encoder(registry), content_type


FLUSH_SECONDS = 1.0
"""How long a cache's lookups may wait in plain counts before they reach the families."""


class CacheMeter:
    """One cache's families, bound to its label once. Lookups (a dozen a request) are counted
    in plain ints and added to the families at most once a second and before every scrape of
    this process (`exposition`): a lookup takes no lock. (In multiprocess mode another
    worker's last second of lookups shows at its next lookup or scrape.)"""

    def __init__(self, cache: str) -> None:
        m = metrics()
        self.hits = m.cache_hits.labels(cache)
        self.misses = m.cache_misses.labels(cache)
        self.evictions = m.cache_evictions.labels(cache)
        self.bytes = m.cache_bytes.labels(cache)
        self._hits = 0
        self._misses = 0
        self._flushed = time.monotonic()
        _METERS.add(self)

    def looked_up(self, hits: int, misses: int) -> None:
        self._hits += hits
        self._misses += misses
        if time.monotonic() - self._flushed >= FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        """Add the lookups counted since the last flush to the families."""
        hits, misses = self._hits, self._misses
        self._hits = self._misses = 0
        self._flushed = time.monotonic()
        if hits:
            self.hits.inc(hits)
        if misses:
            self.misses.inc(misses)


_METERS: weakref.WeakSet[CacheMeter] = weakref.WeakSet()
"""The process's live cache meters (flushed before a scrape)."""
