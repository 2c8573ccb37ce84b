"""`litestar media worker` (transcoding and deletions outside the web processes) and
`litestar media migrate` (local media to an S3-compatible store)."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

import click
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from app.main import build_context, media_config
from app.settings import SettingsError, load_settings
from app.value_added.common.errors import ServiceError
from app.value_added.media import MediaWorker
from app.value_added.media.migration import MigrationReport, open_migration


@click.group(name="media")
def media_group() -> None:
    """Media processing (uploads → transcodings, previews, waveforms)."""


async def _work(once: bool) -> int:
    """Wired as an app process is (build_context): with REDIS_URL, the records a job changes
    are announced to every app process at once, and their changes reach this one."""
    ctx = build_context(load_settings())
    await ctx.start()
    services = ctx.services
    worker = MediaWorker(services.media, tracer=ctx.tracer())
    try:
        if once:
            return await worker.run_until_idle()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()

        def stopping() -> None:  # (one handler per signal: a second one would replace it)
            stop.set()
            services.media.stopping.set()

        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stopping)
        click.echo(f"media worker {worker.name} started (Ctrl-C to stop)")
        await worker.run_forever(stop)
        return 0
    finally:
        await ctx.close()


@media_group.command(name="worker")
@click.option("--once", is_flag=True, help="Process the jobs that are due, then exit.")
def worker_command(once: bool) -> None:
    """Claim media jobs (leased, so several workers can run) and transcode them."""
    logging.basicConfig(level=logging.INFO)
    done = asyncio.run(_work(once))
    if once:
        click.echo(f"processed {done} media job(s)")


async def _retry_failed() -> int:
    ctx = build_context(load_settings())
    await ctx.start()  # (with REDIS_URL, app processes hear of the media that changed)
    try:
        return await ctx.services.media.jobs.retry_failed()
    finally:
        await ctx.close()


@media_group.command(name="retry-failed")
def retry_failed_command() -> None:
    """Queue every failed media job again (attempts reset; its track shows `processing`)."""
    try:
        count = asyncio.run(_retry_failed())
    except (SettingsError, ServiceError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"queued {count} failed media job(s) again")


async def _migrate(to_url: str, concurrency: int) -> MigrationReport:
    settings = load_settings()
    config = media_config(settings)
    migration = open_migration(config.media_dir, to_url, config.s3, concurrency)
    try:
        items, planned = migration.plan()
        click.echo(
            f"{planned.objects} object(s), {planned.bytes:,} bytes: "
            f"{migration.source.describe()} -> {migration.target.describe()}"
        )
        columns = (
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns) as bar:
            task = bar.add_task("migrating", total=planned.bytes)
            return await migration.run(items, lambda _key, size: bar.advance(task, size))
    finally:
        await migration.target.close()


@media_group.command(name="migrate")
@click.option("--to", "to_url", required=True, help="The target store: s3://bucket/prefix.")
@click.option("--concurrency", default=4, show_default=True, help="Objects copied at once.")
def migrate_command(to_url: str, concurrency: int) -> None:
    """Copy the local media (MEDIA_DIR) to an S3-compatible store, verifying sizes and
    checksums; resumable and idempotent (verified objects are skipped). Credentials and
    endpoint come from the AWS_* settings. Then set MEDIA_STORAGE_URL to the same URL."""
    try:
        report = asyncio.run(_migrate(to_url, concurrency))
    except (SettingsError, ServiceError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(
        f"copied {report.copied} object(s) ({report.copied_bytes:,} bytes), "
        f"{report.skipped} already there and verified, {len(report.failed)} failed"
    )
    for failure in report.failed:
        click.echo(f"failed: {failure}", err=True)
    if report.failed:
        sys.exit(1)
