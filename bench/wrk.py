"""Drive load with wrk (installed from Debian's packages if missing) and parse its report."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import msgspec

LUA_DIR = Path(__file__).parent / "lua"


class LoadResult(msgspec.Struct):
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


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


def run_wrk(url: str, script: Path | None, seconds: int, connections: int = 32) -> LoadResult:
    cmd = [ensure_wrk(), "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    if script is not None:
        cmd += ["-s", str(script)]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
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
    return LoadResult(rps, p50, p99, total, errors)
