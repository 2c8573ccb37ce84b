"""Start and stop a server the way production runs it (granian or uvicorn, N workers), and read
its memory: the resident set of the server process and all its workers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import msgspec
import psutil

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


class Served(msgspec.Struct, frozen=True):
    base: str
    """http://127.0.0.1:PORT"""
    pid: int


def rss_mb(pid: int) -> float:
    """Resident memory of the process and its children (granian's workers), in MB."""
    try:
        main = psutil.Process(pid)
        processes = [main, *main.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0
    for p in processes:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total / 1_000_000


def _cpu_seconds(processes: list[psutil.Process]) -> float:
    total = 0.0
    for p in processes:
        try:
            times = p.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) the process and its children (granian's workers) used so far."""
    try:
        main = psutil.Process(pid)
        return _cpu_seconds([main, *main.children(recursive=True)])
    except psutil.NoSuchProcess:
        return 0.0


def quiesce(pid: int, idle: float = 0.10, window: float = 0.5, limit: float = 120.0) -> float:
    """Wait until the server is idle (its processes use under `idle` of a core over `window`
    seconds): requests a load left queued when wrk stopped must not run into the next load.
    Returns the seconds waited (at most `limit`)."""
    started = time.monotonic()
    try:
        main = psutil.Process(pid)
        processes = [main, *main.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    while time.monotonic() - started < limit:
        before = _cpu_seconds(processes)
        time.sleep(window)
        if (_cpu_seconds(processes) - before) / window < idle:
            break
    return time.monotonic() - started


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def command(server: str, factory: str, port: int, workers: int) -> list[str]:
    if server == "granian":
        return [
            str(BIN / "granian"),
            "--interface",
            "asgi",
            "--factory",
            factory,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-ws",
            "--log-level",
            "warning",
            "--loop",
            "uvloop",
        ]
    return [
        str(BIN / "uvicorn"),
        factory.replace(":", ":", 1),
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--log-level",
        "warning",
        "--no-server-header",
        "--no-proxy-headers",
    ]


@contextmanager
def serving(
    server: str, factory: str, workers: int, env: dict[str, str], probe: str
) -> Iterator[Served]:
    """Run the server until the block ends; yields it once `probe` answers."""
    port = free_port()
    # the log goes to a file: a pipe nobody reads fills up with request lines and stalls the
    # server (its tail explains a failed start)
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(
        command(server, factory, port, workers),
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"server exited: {log.read().decode()[-2000:]}")
            try:
                if httpx.get(base + probe, timeout=1).status_code < 500:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise RuntimeError("server did not start within 60 s")
        yield Served(base, proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
