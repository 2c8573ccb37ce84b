"""Runs the media worker inside the app process (settings.in_process_workers)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from app.edge.kit.context import EdgeContext
from app.value_added.media import MediaWorker

Hook = Callable[[], Awaitable[None]]


def worker_hooks(ctx: EdgeContext) -> tuple[Hook, Hook]:
    """(on_startup, on_shutdown) hooks; both do nothing when in-process workers are off.

    BFF apps get no lifespan events (the process sends them to its operations app, where
    app.main registers these).
    """
    stop = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []

    async def start() -> None:
        if not ctx.settings.in_process_workers:
            return
        stop.clear()
        ctx.services.media.stopping.clear()
        worker = MediaWorker(ctx.services.media, tracer=ctx.tracer())
        tasks.append(asyncio.create_task(worker.run_forever(stop), name="media-worker"))

    async def shutdown() -> None:
        stop.set()
        ctx.services.media.stopping.set()
        while tasks:
            task = tasks.pop()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    return start, shutdown
