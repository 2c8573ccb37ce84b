"""What the media edge delivers per core, per storage adapter and delivery mode.

    .venv/bin/python -m bench.media_delivery [--seconds 5]

For each configuration — local files (proxy), S3 on a moto server (proxy) and S3 (redirect) —
a fresh SQLite database with one transcoded 60-second track, the app in one granian worker,
and wrk (2 threads, 32 connections) on signed URLs issued to an anonymous listener:
a 64 KB Range of the progressive MP3 (what players ask for), the whole 160 kbit/s HLS segment,
and the HLS playlist (re-signed per request). Every request is authorized again (grant
re-check against the record cache) and rate limited (the per-address budget is raised here:
wrk is one address). Results: printed, and written to bench/results/media_delivery.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import httpx

from bench.servers import BIN, ROOT, serving
from bench.upload_rss import CHANNELS, RATE, S3_ENV, SECRET, moto, wav
from bench.wrk import lua_script, run_wrk


async def arrange(env: dict[str, str]) -> dict[str, str]:
    """One transcoded track and signed URLs to it: scenario name -> path."""
    os.environ.update(env)
    from app.main import build_context
    from app.settings import load_settings
    from app.value_added.access import Viewer
    from app.value_added.creator import TrackDraft
    from app.value_added.media import MediaWorker

    async def chunks() -> AsyncIterator[bytes]:
        for chunk in wav(60 * RATE * 2 * CHANNELS + 44):  # one minute
            yield chunk

    ctx = build_context(load_settings())
    try:
        user = (await ctx.services.identity.create_user("bench_artist", "correct horse battery")).id
        owner = Viewer(user_id=user, app_id=None, territory="DE", plan="free")
        track = await ctx.services.creator.upload_track(
            owner, user, TrackDraft(title="Bench"), chunks(), "bench.wav"
        )
        await MediaWorker(ctx.services.media).run_until_idle()
        listener = Viewer(user_id=None, app_id=None, territory="DE", plan="free")
        grants = await ctx.services.tracks.streams(listener, track.id)
    finally:
        await ctx.close()
    progressive = next(g.url for g in grants if g.kind == "progressive")
    playlist = next(g.url for g in grants if g.kind == "hls" and g.format == "aac_160")
    return {"progressive": progressive, "playlist": playlist}


def measure(name: str, env: dict[str, str], seconds: int, work: Path) -> list[dict[str, object]]:
    env = env | {
        "DATABASE_URL": f"sqlite+aiosqlite:///{work / f'{name}.db'}",
        "SECRET_KEY": SECRET,
        "MEDIA_DIR": str(work / f"{name}-media"),
        "IN_PROCESS_WORKERS": "false",
        "BFFS": "public",
        "RATE_LIMIT_MEDIA_PER_MINUTE": "100000000",
        "VAR_DIR": str(work / "var"),
    }
    subprocess.run([str(BIN / "alembic"), "upgrade", "head"], cwd=ROOT, env={**os.environ, **env},
                   check=True, capture_output=True)  # fmt: skip
    urls = asyncio.run(arrange(env))
    results = []
    with serving("granian", "app.main:create_app", 1, env, "/health") as served:
        base = served.base
        playlist = httpx.get(base + urls["playlist"]).text.splitlines()
        segment = next(line for line in playlist if line and not line.startswith("#"))
        scenarios = {
            "progressive 64 KB range": (urls["progressive"], {"Range": "bytes=0-65535"}),
            "HLS segment (whole)": (segment, {}),
            "HLS playlist (signed per request)": (urls["playlist"], {}),
        }
        for scenario, (path, headers) in scenarios.items():
            probe = httpx.get(base + path, headers=headers)
            script = lua_script(
                f"media-{name}", [{"method": "GET", "path": path, "headers": headers}]
            )
            load = run_wrk(base, script, seconds)
            size = len(probe.content)
            results.append({
                "config": name,
                "scenario": scenario,
                "status": probe.status_code,
                "bytes": size,
                "requests_per_s": round(load.requests_per_s),
                "mb_per_s": round(load.requests_per_s * size / 1e6, 1),
                "p50_ms": load.p50_ms,
                "p99_ms": load.p99_ms,
                "errors": load.errors,
            })  # fmt: skip
            print(json.dumps(results[-1]))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args()
    results: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="media-delivery-") as tmp:
        results += measure("local-proxy", {}, args.seconds, Path(tmp))
        store, endpoint = moto()
        try:
            s3 = S3_ENV | {"AWS_ENDPOINT_URL": endpoint}
            for mode in ("proxy", "redirect"):
                env = s3 | {"MEDIA_STORAGE_URL": f"s3://soundstack-bench/{mode}"}
                results += measure(f"s3-{mode}", env | {"MEDIA_DELIVERY": mode}, args.seconds,
                                   Path(tmp))  # fmt: skip
        finally:
            store.terminate()
            store.wait(timeout=30)
    out = ROOT / "bench" / "results" / "media_delivery.json"
    out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
