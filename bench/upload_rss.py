"""How much memory a big upload costs the app process, on each storage adapter.

    .venv/bin/python -m bench.upload_rss                 # 200 MB, local files and S3 (moto)
    .venv/bin/python -m bench.upload_rss --mb 50 --stores s3

For each store: a fresh migrated SQLite database, the app in one uvicorn process
(IN_PROCESS_WORKERS=false: only the upload is measured, not its transcoding) and, for S3, a moto
server; a partner app uploads a WAV of N MB through `POST /partner/creators/{id}/tracks/upload`
(multipart, streamed by the client and parsed as it arrives by the server), after a 1 MB
warm-up upload. The server's RSS is sampled every 10 ms (in MB of 10^6 bytes); the growth is the
peak during the upload minus the RSS just before it. The target is < 50 MB for 200 MB.
Results: printed, and written to bench/results/upload_rss.json.
"""

from __future__ import annotations

import argparse
import array
import asyncio
import json
import math
import os
import secrets
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from bench.servers import BIN, ROOT, free_port, rss_mb, serving

SECRET = "bench-secret-key-0123456789abcdef"
RATE, CHANNELS = 44_100, 2
BLOCK = (
    array.array(
        "h",
        [int(9000 * math.sin(2 * math.pi * i / 100)) for i in range(100) for _ in range(CHANNELS)],
    ).tobytes()
    * 1310
)  # ~512 KB of a 441 Hz tone
BUCKET = "soundstack-bench"
S3_ENV = {
    "AWS_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench-secret",
}


def wav(size: int) -> Iterator[bytes]:
    """A PCM WAV file of `size` bytes (header included), generated as it is sent."""
    data = size - 44
    data -= data % (2 * CHANNELS)
    yield b"RIFF" + struct.pack("<I", 36 + data) + b"WAVE"
    yield b"fmt " + struct.pack("<IHHIIHH", 16, 1, CHANNELS, RATE, RATE * 2 * CHANNELS, 4, 16)
    yield b"data" + struct.pack("<I", data)
    while data > 0:
        chunk = BLOCK[: min(len(BLOCK), data)]
        data -= len(chunk)
        yield chunk


def multipart(size: int, boundary: str) -> tuple[Iterator[bytes], int]:
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="metadata"\r\n'
        f'Content-Type: application/json\r\n\r\n{{"title": "RSS"}}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.wav"\r\n'
        f"Content-Type: audio/wav\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    body_size = 44 + (size - 44) - (size - 44) % (2 * CHANNELS)

    def parts() -> Iterator[bytes]:
        yield head
        yield from wav(size)
        yield tail

    return parts(), len(head) + body_size + len(tail)


class Sampler(threading.Thread):
    """The peak RSS (MB) of a process while running."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, 0.0, True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, rss_mb(self.pid))
            time.sleep(0.01)


async def arrange(database_url: str, env: dict[str, str]) -> tuple[int, str]:
    """A creator and a partner app managing them: (creator id, app token)."""
    os.environ.update(env)
    from app.main import build_context
    from app.settings import load_settings

    ctx = build_context(load_settings())
    try:
        identity = ctx.services.identity
        made = await identity.create_app("rss", ["partner"], ["partner:catalog"], [])
        app = await identity.app_by_client_id(made.client_id)
        assert app is not None
        user = (await identity.create_user("rss_artist", "correct horse battery")).id
        await identity.grant_partner(app.id, user)
        return user, (await identity.issue_client_credentials(app)).access_token
    finally:
        await ctx.close()


def upload(base: str, token: str, creator: int, size: int) -> float:
    boundary = secrets.token_hex(12)
    body, length = multipart(size, boundary)
    started = time.monotonic()
    r = httpx.post(
        f"{base}/partner/creators/{creator}/tracks/upload",
        content=body,
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": str(length),
        },
        timeout=600,
    )
    if r.status_code != 201:
        raise RuntimeError(f"upload answered {r.status_code}: {r.text[:300]}")
    return time.monotonic() - started


def moto() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.put(f"{url}/{BUCKET}", timeout=1)  # (create the bucket; moto needs no auth)
            return proc, url
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("moto did not start")


def measure(store: str, megabytes: int, work: Path) -> dict[str, object]:
    database_url = f"sqlite+aiosqlite:///{work / f'{store}.db'}"
    env = {
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET,
        "MEDIA_DIR": str(work / f"{store}-media"),
        "IN_PROCESS_WORKERS": "false",
        "BFFS": "partner",
        "MAX_UPLOAD_BYTES": str((megabytes + 50) * 1024 * 1024),
        "VAR_DIR": str(work / "var"),
    }
    store_proc = None
    if store == "s3":
        store_proc, endpoint = moto()
        env |= S3_ENV | {"AWS_ENDPOINT_URL": endpoint, "MEDIA_STORAGE_URL": f"s3://{BUCKET}/rss"}
    subprocess.run([str(BIN / "alembic"), "upgrade", "head"], cwd=ROOT, env={**os.environ, **env},
                   check=True, capture_output=True)  # fmt: skip
    creator, token = asyncio.run(arrange(database_url, env))
    try:
        with serving("uvicorn", "app.main:create_app", 1, env, "/health") as served:
            upload(served.base, token, creator, 1024 * 1024)  # warm-up: code paths, S3 client
            before = rss_mb(served.pid)
            sampler = Sampler(served.pid)
            sampler.start()
            seconds = upload(served.base, token, creator, megabytes * 1024 * 1024)
            sampler.running = False
            sampler.join()
            after = rss_mb(served.pid)
    finally:
        if store_proc is not None:
            store_proc.terminate()
            store_proc.wait(timeout=30)
    return {
        "store": store,
        "upload_mb": megabytes,
        "seconds": round(seconds, 2),
        "rss_before_mb": round(before, 1),
        "rss_peak_mb": round(sampler.peak, 1),
        "rss_after_mb": round(after, 1),
        "growth_mb": round(sampler.peak - before, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--stores", default="local,s3")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="upload-rss-") as tmp:
        for store in args.stores.split(","):
            result = measure(store, args.mb, Path(tmp))
            print(json.dumps(result))
            results.append(result)
    out = ROOT / "bench" / "results" / "upload_rss.json"
    out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
