"""`make run`'s server prints one log format: granian's own start-up and worker lines go
through deploy/granian-logging.json (our structlog formatter), the app's lines and its one line
per request through ours, and the server's access log stays off."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.e2e.conftest import SECRET

ROOT = Path(__file__).resolve().parents[2]
LOG_CONFIG = ROOT / "deploy" / "granian-logging.json"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_every_deployment_serves_with_the_log_config() -> None:
    for recipe in ("Makefile", "Dockerfile", "compose.yaml"):
        text = (ROOT / recipe).read_text()
        assert re.search(r"--log-config\W+deploy/granian-logging\.json", text), recipe
    assert "deploy/granian-logging.json" in (ROOT / "Dockerfile").read_text().split("COPY", 1)[1]


def test_granian_lines_and_request_lines_share_one_json_format(
    sqlite_url: str, tmp_path: Path
) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "RATE_LIMIT_"))}
    env |= {
        "DATABASE_URL": sqlite_url,
        "SECRET_KEY": SECRET,
        "MEDIA_DIR": str(tmp_path / "media"),
        "LOG_FORMAT": "json",
        "IN_PROCESS_WORKERS": "false",
    }
    granian = Path(sys.executable).with_name("granian")
    argv = [str(granian), "--interface", "asgi", "--factory", "app.main:create_app",
            "--port", str(port), "--workers", "1", "--no-ws",
            "--log-config", str(LOG_CONFIG)]  # fmt: skip
    log_path = tmp_path / "granian.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                assert proc.poll() is None, log_path.read_text()
                try:
                    if httpx.get(f"{url}/health", timeout=0.5).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            secret_query = "access_token=very-secret-token-value"
            assert httpx.get(f"{url}/public/tracks?{secret_query}").status_code == 401
            time.sleep(0.3)  # (the request line is written after the response)
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    text = log_path.read_text()
    lines = [line for line in text.splitlines() if line.strip()]
    records = []
    for line in lines:
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            raise AssertionError(f"a line not in our JSON format: {line!r}") from None
    granian_lines = [r for r in records if r.get("logger") == "_granian"]
    assert any("Starting granian" in str(r.get("event")) for r in granian_lines), text
    assert all({"timestamp", "level"} <= set(r) for r in records)
    requests = [r for r in records if r.get("route") == "/tracks" and r.get("bff") == "public"]
    assert len(requests) == 1 and requests[0]["status"] == 401, text
    assert "very-secret-token-value" not in text
    assert not [r for r in records if r.get("logger") == "granian.access"]
