"""/metrics: the families an operator needs, with sane values, for the operator only: requests,
latency, status classes and rate-limit rejections per BFF and route; value-added calls; SQL
statements, pool in-use and wait, transaction retries; caches; group commits; media jobs;
Redis errors and the breaker state."""

from __future__ import annotations

from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from app.foundation.db import Conflict
from tests.e2e.conftest import BASE_URL, Harness, in_process, serving, settings_for
from tests.factories import make_track

OPENMETRICS = "application/openmetrics-text; version=1.0.0"


def _samples(text: str) -> list[Sample]:
    return [s for family in text_string_to_metric_families(text) for s in family.samples]


def _value(samples: list[Sample], name: str, **labels: str) -> float:
    return sum(
        s.value
        for s in samples
        if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())
    )


async def _scrape(h: Harness, **headers: str) -> list[Sample]:
    r = await h.client.get("/metrics", headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain")
    return _samples(r.text)


async def test_requests_vas_calls_statements_and_commits_are_counted(harness: Harness) -> None:
    before = await _scrape(harness)
    app, _ = await harness.new_app("metrics app")
    owner = await harness.new_user("metrics_owner")
    fan = await harness.new_user("metrics_fan")
    track = await make_track(harness.services.deps.db, owner)
    token = await harness.user_token(app, fan)
    auth = {"Authorization": f"OAuth {token}"}
    assert (await harness.client.get(f"/mobile/tracks/{track}", headers=auth)).status_code == 200
    missing = await harness.client.get(f"/mobile/tracks/{track + 10_000}", headers=auth)
    assert missing.status_code == 404
    assert (await harness.client.get("/mobile/tracks/1")).status_code == 401  # no token
    liked = await harness.client.post(f"/mobile/tracks/{track}/like", headers=auth)
    assert liked.status_code == 200

    after = await _scrape(harness)
    routes = {
        s.labels["route"]
        for s in after
        if s.name == "soundstack_http_requests_total" and s.labels["bff"] == "mobile"
    }
    assert all(str(track) not in route for route in routes), "raw paths would explode labels"
    template = next(r for r in routes if r.startswith("/tracks/{") and r.endswith("}"))

    def grew(name: str, **labels: str) -> float:
        return _value(after, name, **labels) - _value(before, name, **labels)

    requests = "soundstack_http_requests_total"
    assert grew(requests, bff="mobile", route=template, method="GET", status="2xx") == 1
    assert grew(requests, bff="mobile", route=template, method="GET", status="4xx") == 2
    assert grew(requests, bff="mobile", method="POST", status="2xx") == 1
    latency = "soundstack_http_request_duration_seconds_count"
    assert grew(latency, bff="mobile", route=template) == 3
    assert _value(after, "soundstack_http_request_duration_seconds_sum", bff="mobile") > 0
    assert grew("soundstack_vas_calls_total", service="tracks", outcome="ok") >= 2
    assert grew("soundstack_vas_calls_total", service="tracks", outcome="refused") >= 1
    assert grew("soundstack_vas_call_duration_seconds_count", service="tracks") >= 3
    assert grew("soundstack_db_statements_total") >= 3
    assert _value(after, "soundstack_db_connections_in_use") >= 0
    if harness.services.deps.db.engine.dialect.name == "sqlite":  # (group commit: SQLite's)
        assert grew("soundstack_group_commit_batch_size_count") >= 1
    for state in ("queued", "running", "done", "failed"):
        assert any(
            s.name == "soundstack_media_jobs_in_state" and s.labels["state"] == state for s in after
        )
    names = {s.name for s in after}
    assert {"soundstack_media_jobs_running", "soundstack_transcode_duration_seconds_count"} <= names


async def test_rate_limit_rejections_are_counted(sqlite_url: str, tmp_path: Path) -> None:
    settings = settings_for(sqlite_url, tmp_path, rate_limit_app_per_minute=3)
    async with serving(in_process(settings)) as h:
        app, _ = await h.new_app("limited app")
        h.freeze_rate_limit_clock()
        before = await _scrape(h)
        statuses = []
        for _ in range(4):
            r = await h.client.get("/public/tracks", params={"client_id": app.client_id})
            statuses.append(r.status_code)
        assert statuses == [200, 200, 200, 429]
        after = await _scrape(h)
    name = "soundstack_rate_limit_rejections_total"
    assert _value(after, name, bff="public") - _value(before, name, bff="public") == 1


async def test_openmetrics_when_asked(harness: Harness) -> None:
    r = await harness.client.get("/metrics", headers={"Accept": OPENMETRICS})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/openmetrics-text")
    assert r.text.rstrip().endswith("# EOF")


async def test_only_allowed_addresses_or_the_token_may_scrape(
    sqlite_url: str, tmp_path: Path
) -> None:
    settings = settings_for(sqlite_url, tmp_path, metrics_allow=("10.0.0.0/8",))
    async with serving(in_process(settings)) as h:
        refused = await h.client.get("/metrics")  # the harness calls from 127.0.0.1
        assert refused.status_code == 403 and refused.json()["error"] == "metrics_forbidden"
        inside = httpx.ASGITransport(app=h.app, client=("10.1.2.3", 4000))
        async with httpx.AsyncClient(transport=inside, base_url=BASE_URL) as client:
            assert (await client.get("/metrics")).status_code == 200

    token = "scrape-token-0123456789"
    settings = settings_for(sqlite_url, tmp_path, metrics_token=token)
    async with serving(in_process(settings)) as h:
        assert (await h.client.get("/metrics")).status_code == 403  # loopback is not enough
        wrong = {"Authorization": "Bearer scrape-token-wrong-wrong"}
        assert (await h.client.get("/metrics", headers=wrong)).status_code == 403
        await _scrape(h, Authorization=f"Bearer {token}")


async def test_pool_caches_and_transaction_retries_are_measured(harness: Harness) -> None:
    app, _ = await harness.new_app("cached metrics app")
    owner = await harness.new_user("cache_metrics_owner")
    fan = await harness.new_user("cache_metrics_fan")
    track = await make_track(harness.services.deps.db, owner)
    auth = {"Authorization": f"OAuth {await harness.user_token(app, fan)}"}
    before = await _scrape(harness)
    for _ in range(3):  # the first read fills the caches, the next ones are answered from them
        assert (
            await harness.client.get(f"/mobile/tracks/{track}", headers=auth)
        ).status_code == 200
    losses = iter([Conflict("40001"), None])

    async def loses_once(_uow: object) -> str:
        lost = next(losses)
        if lost is not None:
            raise lost
        return "won"

    assert await harness.services.deps.db.transact(loses_once) == "won"
    after = await _scrape(harness)

    def grew(name: str, **labels: str) -> float:
        return _value(after, name, **labels) - _value(before, name, **labels)

    # (on SQLite the reads by key run on the loop reader, no pooled connection: the command's)
    assert grew("soundstack_db_pool_wait_duration_seconds_count") >= 1
    assert 0 <= grew("soundstack_db_pool_wait_duration_seconds_sum") < 30
    assert grew("soundstack_db_transaction_retries_total") == 1
    assert grew("soundstack_cache_hits_total", cache="records") >= 2
    assert grew("soundstack_cache_hits_total", cache="principals") >= 2
    assert grew("soundstack_cache_misses_total", cache="principals") >= 1
    assert _value(after, "soundstack_cache_misses_total", cache="records") >= 1
    assert _value(after, "soundstack_cache_bytes", cache="records") > 0
    for cache in ("records", "responses", "derived", "principals"):
        for family in ("soundstack_cache_hits_total", "soundstack_cache_misses_total"):
            assert any(s.name == family and s.labels["cache"] == cache for s in after), cache
        assert _value(after, "soundstack_cache_evictions_total", cache=cache) >= 0


async def test_redis_errors_and_the_breaker_state_are_exposed(
    sqlite_url: str, tmp_path: Path
) -> None:
    unreachable = "redis://127.0.0.1:9/0"  # (the discard port: nothing answers there)
    settings = settings_for(sqlite_url, tmp_path, redis_url=unreachable)
    async with serving(in_process(settings)) as h:
        app, _ = await h.new_app("breaker app")
        before = await _scrape(h)
        r = await h.client.get("/public/tracks", params={"client_id": app.client_id})
        assert r.status_code == 200  # (rate limiting fails open)
        after = await _scrape(h)
    errors = "soundstack_redis_errors_total"
    assert _value(after, errors) - _value(before, errors) >= 1
    assert _value(after, "soundstack_breaker_open", dependency="redis") == 1
