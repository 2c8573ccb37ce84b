"""/metrics under granian with two worker processes: every worker's requests are counted once
(prometheus_client's multiprocess mode, PROMETHEUS_MULTIPROC_DIR)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.conftest import SECRET

REQUESTS = 40


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_two_granian_workers_are_summed(sqlite_url: str, tmp_path: Path) -> None:
    port = _free_port()
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "RATE_LIMIT_"))}
    env |= {
        "DATABASE_URL": sqlite_url,
        "SECRET_KEY": SECRET,
        "MEDIA_DIR": str(tmp_path / "media"),
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
    }
    granian = Path(sys.executable).with_name("granian")
    argv = [str(granian), "--interface", "asgi", "--factory", "app.main:create_app",
            "--port", str(port), "--workers", "2", "--no-ws", "--log-level", "warning"]  # fmt: skip
    with (tmp_path / "granian.log").open("wb") as log:
        proc = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                assert proc.poll() is None, (tmp_path / "granian.log").read_text()
                try:
                    if httpx.get(f"{url}/health", timeout=0.5).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            # new connections each time: granian spreads them over both workers
            for _ in range(REQUESTS):
                r = httpx.get(f"{url}/public/tracks", headers={"Connection": "close"})
                assert r.status_code == 401
            pids = {p.name.split("_")[-1] for p in metrics_dir.glob("counter_*.db")}
            scrape = httpx.get(f"{url}/metrics")
            assert scrape.status_code == 200
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    samples = [s for f in text_string_to_metric_families(scrape.text) for s in f.samples]
    counted = sum(
        s.value
        for s in samples
        if s.name == "soundstack_http_requests_total" and s.labels.get("bff") == "public"
    )
    assert counted == REQUESTS
    assert len(pids) == 2, f"both workers should have served requests: {pids}"
