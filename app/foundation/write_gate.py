"""The in-process writer gate: SQLite write transactions of one process queue here, in order."""

from __future__ import annotations

import asyncio


class WriteGate:
    """A FIFO lock taken before BEGIN IMMEDIATE and released after COMMIT or ROLLBACK.

    SQLite admits one writer at a time. Without the gate, every other writer of this process
    would sleep and retry inside SQLite's busy handler (backing off up to 100 ms a try); with
    it they wait on an asyncio lock and start the moment the previous writer finishes. The busy
    timeout still arbitrates between processes. A write unit of work opened inside another one
    in the same task would wait for itself forever, so that raises instead.
    """

    def __init__(self) -> None:
        self._lock: asyncio.Lock | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._owner: asyncio.Task[object] | None = None
        self.waiting = 0
        """How many writers are queued right now (for tests and diagnostics)."""

    def _current_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self._lock is None or self._loop is not loop:
            # a lock belongs to one event loop; a new loop (a new test, a CLI run) starts fresh
            self._lock, self._loop, self._owner = asyncio.Lock(), loop, None
        return self._lock

    @property
    def locked(self) -> bool:
        return self._lock is not None and self._lock.locked()

    def held_here(self) -> bool:
        """Does the current task hold the gate?"""
        return self._owner is not None and self._owner is asyncio.current_task()

    async def acquire(self) -> None:
        lock = self._current_lock()
        if self.held_here():
            raise RuntimeError("a write unit of work inside another in the same task deadlocks")
        task = asyncio.current_task()
        self.waiting += 1
        try:
            await lock.acquire()  # asyncio.Lock wakes its waiters first come, first served
        finally:
            self.waiting -= 1
        self._owner = task

    def release(self) -> None:
        self._owner = None
        if self._lock is not None and self._lock.locked():
            self._lock.release()
