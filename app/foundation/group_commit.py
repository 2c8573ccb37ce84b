"""Group commit: concurrent small write commands share one transaction and one commit."""

from __future__ import annotations

import asyncio
import contextvars
from collections import deque
from collections.abc import Callable, Coroutine
from contextlib import AbstractAsyncContextManager
from typing import Any, Generic, NamedTuple, TypeVar

from app.telemetry.metrics import metrics

U = TypeVar("U")
T = TypeVar("T")

MAX_BATCH = 64
"""Commands per transaction at most: bounds how long a batch holds the write lock."""


class _Pending(NamedTuple):
    command: Callable[[Any], Coroutine[Any, Any, Any]]
    future: asyncio.Future[Any]
    context: contextvars.Context
    """The caller's context: its command runs in it (request ids, statement counters …)."""
    hint: Any
    """What the command is about to lock (None: not said), for `lock` (see GroupCommit)."""


class GroupCommit(Generic[U]):
    """Runs `command(uow)` for many callers, batching those that arrive while a batch runs.

    Commands queue in arrival order; a drain task takes up to `max_batch` of them, runs them
    one after another in ONE unit of work from `begin()` and commits once, so N commands cost
    one BEGIN, one COMMIT and one connection checkout. Up to `concurrency` drain tasks run at
    once (where the database runs several write transactions at a time, their round trips
    overlap), each taking what has queued when it is free. Every caller gets its own result or its
    own exception. A command that raises before changing anything (per `changes(uow)`, a count
    of statements that may have written, or failed) just gets its exception: the batch goes
    on, as there is nothing to undo — the common case, a check such as "track not found". When
    a command raises after changing something (or the commit fails) the batch rolls back —
    none of its writes are committed — and is retried as the commands before the failing one
    (again as a batch), the failing one alone in its own transaction (its outcome goes to its
    caller), and the commands after it; with few failures that is cheaper than a SAVEPOINT
    around every command. Commands must therefore be retryable: everything they change goes
    through the unit of work they are given. Record-cache invalidations of the whole batch
    are published by the unit of work after its commit.

    A caller cancelled while its command waits is dropped from the queue; once its batch has
    started, the command runs (and commits) regardless, as a request already sent would.

    With `lock`, every transaction first passes `lock(uow, hints)` the hints its callers gave
    (`run(command, hint)`), before running any command: where concurrent transactions (of
    other processes) lock rows, that takes every row the batch will lock in one global order,
    so two batches never wait for each other in a cycle (a deadlock).
    """

    def __init__(
        self,
        begin: Callable[[], AbstractAsyncContextManager[U]],
        max_batch: int = MAX_BATCH,
        changes: Callable[[U], int] | None = None,
        lock: Callable[[U, list[Any]], Coroutine[Any, Any, None]] | None = None,
        concurrency: int = 1,
    ) -> None:
        if max_batch < 1 or concurrency < 1:
            raise ValueError("max_batch and concurrency must be at least 1")
        self._begin = begin
        self._changes = changes
        self._lock = lock
        self.max_batch = max_batch
        self._queue: deque[_Pending] = deque()
        self.concurrency = concurrency
        """Batches run at once at most (each in its own transaction, on its own connection)."""
        self._drainers: set[asyncio.Task[None]] = set()
        self.batches = 0
        """Transactions begun for batches of more than one command (for tests, diagnostics)."""
        self.largest = 0
        """The most commands one transaction carried so far."""

    async def run(self, command: Callable[[U], Coroutine[Any, Any, T]], hint: Any = None) -> T:
        """`command(uow)` in a write transaction, possibly shared with concurrent commands;
        `hint`: what it is about to lock (for `lock`)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._queue.append(_Pending(command, future, contextvars.copy_context(), hint))
        drainers = {d for d in self._drainers if not d.done() and d.get_loop() is loop}
        if len(drainers) < self.concurrency:
            # a context of its own: no caller's context variables leak into later batches
            drainers.add(loop.create_task(self._drain(), context=contextvars.Context()))
        self._drainers = drainers
        return await future

    async def _drain(self) -> None:
        batch: list[_Pending] = []
        try:
            while self._queue:
                batch = self._take()
                if batch:
                    await self._run(batch)
        except BaseException:  # the drainer itself was cancelled (shutdown): nobody waits forever
            for pending in [*batch, *self._queue]:
                pending.future.cancel()
            self._queue.clear()
            raise

    def _take(self) -> list[_Pending]:
        batch: list[_Pending] = []
        while self._queue and len(batch) < self.max_batch:
            pending = self._queue.popleft()
            if not pending.future.done():  # (a caller cancelled while waiting)
                batch.append(pending)
        return batch

    async def _run(self, batch: list[_Pending]) -> None:
        if not batch:
            return
        metrics().group_commit_batch.observe(len(batch))
        if len(batch) == 1:
            await self._alone(batch[0])
            return
        failed = await self._together(batch)
        if failed is None:
            return
        await self._run(batch[:failed])
        await self._alone(batch[failed])
        await self._run(batch[failed + 1 :])

    async def _together(self, batch: list[_Pending]) -> int | None:
        """Run the batch in one transaction; None when committed (results delivered), else the
        index of the command that raised (0 when the commit itself failed)."""
        self.batches += 1
        self.largest = max(self.largest, len(batch))
        outcomes: list[tuple[bool, Any]] = []
        try:
            async with self._begin() as uow:
                await self._locked(uow, batch)  # (failing: its first command runs alone)
                for pending in batch:
                    outcomes.append(await self._one(pending, uow))
        except Exception:
            return len(outcomes) if len(outcomes) < len(batch) else 0
        for pending, (ok, outcome) in zip(batch, outcomes, strict=True):
            if not pending.future.done():
                if ok:
                    pending.future.set_result(outcome)
                else:
                    pending.future.set_exception(outcome)
        return None

    async def _locked(self, uow: U, batch: list[_Pending]) -> None:
        """A batch's locks, taken in the drainer's context (no caller's cost alone)."""
        hints = [p.hint for p in batch if p.hint is not None]
        if self._lock is not None and hints:
            await self._lock(uow, hints)

    async def _one(self, pending: _Pending, uow: U) -> tuple[bool, Any]:
        """(True, result), or (False, exception) when the command failed without changing
        anything; a failure after a change propagates (the batch must roll back)."""
        before = self._changes(uow) if self._changes is not None else None
        try:
            return True, await _in_context(pending, uow)
        except Exception as exc:
            if before is None or self._changes is None or self._changes(uow) != before:
                raise
            return False, exc

    async def _alone(self, pending: _Pending) -> None:
        self.largest = max(self.largest, 1)
        try:
            async with self._begin() as uow:
                if self._lock is not None and pending.hint is not None:
                    lock, hints = self._lock, [pending.hint]
                    await _in_context(pending, uow, lambda u: lock(u, hints))  # (its own cost)
                result = await _in_context(pending, uow)
        except Exception as exc:
            if not pending.future.done():
                pending.future.set_exception(exc)
            return
        if not pending.future.done():
            pending.future.set_result(result)


async def _in_context(
    pending: _Pending, uow: Any, run: Callable[[Any], Coroutine[Any, Any, Any]] | None = None
) -> Any:
    """Run the command (or `run`) in its caller's context (as a task of its own)."""
    command = run or pending.command
    return await asyncio.get_running_loop().create_task(command(uow), context=pending.context)
