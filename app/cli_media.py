"""`litestar media worker`: run media transcoding workers outside the web processes."""

from __future__ import annotations

import asyncio
import logging
import signal

import click

from app.main import media_config
from app.settings import load_settings
from app.value_added.media import MediaWorker
from app.value_added.registry import build_services


@click.group(name="media")
def media_group() -> None:
    """Media processing (uploads → transcodings, previews, waveforms)."""


async def _work(once: bool) -> int:
    settings = load_settings()
    services = build_services(
        settings.database_url, settings.secret_key, media=media_config(settings)
    )
    worker = MediaWorker(services.media)
    try:
        if once:
            return await worker.run_until_idle()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
            loop.add_signal_handler(sig, services.media.stopping.set)
        click.echo(f"media worker {worker.name} started (Ctrl-C to stop)")
        await worker.run_forever(stop)
        return 0
    finally:
        await services.close()


@media_group.command(name="worker")
@click.option("--once", is_flag=True, help="Process the jobs that are due, then exit.")
def worker_command(once: bool) -> None:
    """Claim media jobs (leased, so several workers can run) and transcode them."""
    logging.basicConfig(level=logging.INFO)
    done = asyncio.run(_work(once))
    if once:
        click.echo(f"processed {done} media job(s)")
