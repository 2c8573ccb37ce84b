"""Drive load with wrk (installed from Debian's packages if missing) and parse its report."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import msgspec

from bench.tail import Stream

LUA_DIR = Path(__file__).parent / "lua"


THREADS = 2
CONNECTIONS = 32
STREAM_LUA = Path(__file__).parent / "stream.lua"


class LoadResult(msgspec.Struct):
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    cursor: int = 0
    """Long-tail scripts: the records position reached (the next measurement starts there)."""
    wrapped: bool = False
    """Long-tail scripts: the records file ran out and requests were repeated."""


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk not found: installing it from Debian's packages (apt-get install wrk)")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("could not install wrk")
    return found


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def lua_script(name: str, requests: list[dict[str, object]]) -> Path:
    """A wrk script cycling through prepared requests ({method, path, headers})."""
    LUA_DIR.mkdir(exist_ok=True)
    path = LUA_DIR / f"{name}.lua"
    body = json.dumps(requests)
    path.write_text(
        "local json = [==[" + body + "]==]\n" + (LUA_DIR.parent / "scenario.lua").read_text()
    )
    return path


def stream_args(
    stream: Stream, server: str, start: int, users: Path, public_auth: str
) -> list[str]:
    """bench/stream.lua's arguments for `stream` on `server` from record `start`."""
    prefix, suffix = stream.path_for(server)
    return [
        stream.records, str(stream.width), str(start), str(THREADS), stream.method,
        prefix, suffix, stream.path_value, *stream.body,
        public_auth if stream.auth == "public" else "", str(users),
    ]  # fmt: skip


def command(
    url: str, script: Path | None, seconds: float, args: list[str] | None = None
) -> list[str]:
    cmd = [ensure_wrk(), f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{max(1, round(seconds))}s"]
    cmd += ["--latency", "--timeout", "5s"]
    if script is not None:
        cmd += ["-s", str(script)]
    cmd.append(url)
    return [*cmd, "--", *args] if args else cmd


def run_wrk(
    url: str, script: Path | None, seconds: float, args: list[str] | None = None
) -> LoadResult:
    done = subprocess.run(command(url, script, seconds, args), capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return parse(done.stdout)


def parse(out: str) -> LoadResult:
    """wrk's report (with --latency), and what bench/stream.lua's done() printed."""
    if "Requests/sec" not in out or "50%" not in out:
        raise RuntimeError(f"wrk produced no report:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(x) for x in m.groups())
    cursor = int(m.group(1)) if (m := re.search(r"^bench-cursor (\d+)$", out, re.M)) else 0
    return LoadResult(rps, p50, p99, total, errors, cursor, "bench-wrapped" in out)
