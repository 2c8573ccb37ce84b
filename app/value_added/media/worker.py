"""MediaWorker: claims and runs media jobs, in the app process or in `litestar media worker`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
import time

from opentelemetry.trace import Tracer

from app.telemetry.metrics import metrics
from app.telemetry.tracing import tracing_with
from app.value_added.media.service import MediaService

log = logging.getLogger(__name__)


def worker_name() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"


class MediaWorker:
    """One job at a time; run several processes (or workers) to transcode in parallel."""

    def __init__(
        self, media: MediaService, name: str | None = None, tracer: Tracer | None = None
    ) -> None:
        self.media = media
        self.name = name or worker_name()
        self.tracer = tracer
        """With tracing on: a span per job, parent of its repository and SQL spans."""

    async def run_once(self) -> bool:
        """Delete the stored objects that are due, then claim and run one due job; False when
        there was nothing to do."""
        deleted = await self.media.deletions.run_due()
        job = await self.media.jobs.claim(self.name)
        if job is None:
            return deleted > 0
        log.info("media job %s (media %s, attempt %s) claimed", job.id, job.media_id, job.attempts)
        m = metrics()
        m.media_jobs_running.inc()
        started = time.perf_counter()
        try:
            if self.tracer is None:
                outcome = await self.media.jobs.run(job, self.name, self.media.stopping)
            else:
                attributes = {"soundstack.media_job": job.id, "soundstack.attempt": job.attempts}
                with (
                    tracing_with(self.tracer),
                    self.tracer.start_as_current_span("media.job", attributes=attributes) as s,
                ):
                    outcome = await self.media.jobs.run(job, self.name, self.media.stopping)
                    s.set_attribute("soundstack.outcome", outcome)
        finally:
            m.media_jobs_running.dec()
        m.media_jobs.labels(outcome).inc()
        m.transcode_seconds.observe(time.perf_counter() - started)
        return True

    async def run_until_idle(self, max_jobs: int = 1000) -> int:
        """Run due jobs until none is left (tests, `media worker --once`); returns how many."""
        done = 0
        while done < max_jobs and await self.run_once():
            done += 1
        return done

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Poll for jobs (woken early by in-process uploads) until `stop` is set."""
        wake = self.media.wake_event()
        while not stop.is_set():
            try:
                busy = await self.run_once()
            except Exception:
                log.exception("media worker %s: job loop error", self.name)
                busy = False
            if busy:
                continue
            wake.clear()
            waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(wake.wait())]
            await asyncio.wait(
                waiters, timeout=self.media.config.poll_interval, return_when="FIRST_COMPLETED"
            )
            for waiter in waiters:
                waiter.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await waiter
