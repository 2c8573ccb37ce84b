"""GroupCommit and WriteGate on fakes: batching, the cap, failure isolation, order, contexts."""

from __future__ import annotations

import asyncio
import contextvars
from types import TracebackType
from typing import Any, Self

import pytest

from app.foundation.group_commit import GroupCommit
from app.foundation.write_gate import WriteGate

caller: contextvars.ContextVar[str] = contextvars.ContextVar("caller", default="none")


class Boom(Exception):
    """A command's own failure."""


class FakeUnit:
    """A transaction: `ops` are kept only if it commits; every outcome is logged."""

    def __init__(self, log: list[tuple[str, list[Any]]], fail_commits: list[bool]) -> None:
        self.ops: list[Any] = []
        self._log = log
        self._fail_commits = fail_commits

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None and self._fail_commits and self._fail_commits.pop(0):
            self._log.append(("rollback", self.ops))
            raise OSError("commit failed")
        self._log.append(("commit" if exc_type is None else "rollback", self.ops))


def group(
    max_batch: int = 64, fail_commits: list[bool] | None = None, counted: bool = True
) -> tuple[Any, list[Any]]:
    """A group committer over fake units whose `changes` are their ops (when `counted`)."""
    log: list[tuple[str, list[Any]]] = []
    failures = fail_commits if fail_commits is not None else []
    changes = (lambda uow: len(uow.ops)) if counted else None
    return GroupCommit(lambda: FakeUnit(log, failures), max_batch, changes), log


def write(value: Any, fail: bool = False) -> Any:
    async def command(uow: FakeUnit) -> Any:
        uow.ops.append(value)
        await asyncio.sleep(0)
        if fail:
            raise Boom(value)
        return f"done {value}"

    return command


def committed(log: list[tuple[str, list[Any]]]) -> list[Any]:
    return [op for outcome, ops in log if outcome == "commit" for op in ops]


async def test_concurrent_commands_share_one_transaction_and_get_their_own_results() -> None:
    g, log = group()
    results = await asyncio.gather(*(g.run(write(i)) for i in range(5)))
    assert results == [f"done {i}" for i in range(5)]
    assert log == [("commit", [0, 1, 2, 3, 4])]
    assert (g.batches, g.largest) == (1, 5)


async def test_batches_never_exceed_the_cap() -> None:
    g, log = group(max_batch=2)
    results = await asyncio.gather(*(g.run(write(i)) for i in range(5)))
    assert results == [f"done {i}" for i in range(5)]
    assert log == [("commit", [0, 1]), ("commit", [2, 3]), ("commit", [4])]
    assert g.largest == 2


async def test_a_failing_command_rolls_back_alone_and_the_others_commit() -> None:
    g, log = group()
    outcomes = await asyncio.gather(
        *(g.run(write(i, fail=i == 2)) for i in range(5)), return_exceptions=True
    )
    assert outcomes[:2] == ["done 0", "done 1"] and outcomes[3:] == ["done 3", "done 4"]
    assert isinstance(outcomes[2], Boom) and outcomes[2].args == (2,)
    assert committed(log) == [0, 1, 3, 4]  # the failing command's write never commits
    assert log == [
        ("rollback", [0, 1, 2]),  # the batch, up to the failure
        ("commit", [0, 1]),  # those before it, again as a batch
        ("rollback", [2]),  # the failing one alone: its caller gets this outcome
        ("commit", [3, 4]),  # those after it
    ]


def refuse(value: Any) -> Any:
    async def command(uow: FakeUnit) -> Any:
        await asyncio.sleep(0)
        raise Boom(value)  # (a check failing before anything was written)

    return command


async def test_a_command_failing_before_any_change_needs_no_rollback() -> None:
    g, log = group()
    calls = [g.run(write(0)), g.run(refuse(1)), g.run(write(2)), g.run(refuse(3))]
    outcomes = await asyncio.gather(*calls, return_exceptions=True)
    assert outcomes[0] == "done 0" and outcomes[2] == "done 2"
    assert [o.args for o in outcomes[1::2]] == [(1,), (3,)]  # type: ignore[union-attr]
    assert log == [("commit", [0, 2])]  # one transaction, nothing rolled back or retried


async def test_without_a_change_count_every_failure_rolls_back() -> None:
    g, log = group(counted=False)
    outcomes = await asyncio.gather(g.run(write(0)), g.run(refuse(1)), return_exceptions=True)
    assert outcomes[0] == "done 0" and isinstance(outcomes[1], Boom)
    assert log == [("rollback", [0]), ("commit", [0]), ("rollback", [])]


async def test_several_failures_each_reach_their_own_caller() -> None:
    g, log = group()
    outcomes = await asyncio.gather(
        *(g.run(write(i, fail=i in (0, 3, 4))) for i in range(6)), return_exceptions=True
    )
    assert [o.args[0] if isinstance(o, Boom) else o for o in outcomes] == [
        0,
        "done 1",
        "done 2",
        3,
        4,
        "done 5",
    ]
    assert sorted(committed(log)) == [1, 2, 5]


async def test_a_failed_commit_retries_everyone_and_commits_each_write_once() -> None:
    g, log = group(fail_commits=[True])
    results = await asyncio.gather(*(g.run(write(i)) for i in range(4)))
    assert results == [f"done {i}" for i in range(4)]
    assert sorted(committed(log)) == [0, 1, 2, 3]
    assert log[0] == ("rollback", [0, 1, 2, 3])


async def test_a_caller_cancelled_while_queued_is_dropped() -> None:
    g, log = group()
    release = asyncio.Event()

    async def blocking(uow: FakeUnit) -> str:
        uow.ops.append("first")
        await release.wait()
        return "first"

    first = asyncio.create_task(g.run(blocking))
    await asyncio.sleep(0.01)  # the first batch is running
    queued = asyncio.create_task(g.run(write("cancelled")))
    third = asyncio.create_task(g.run(write("third")))
    await asyncio.sleep(0)
    queued.cancel()
    release.set()
    assert await first == "first" and await third == "done third"
    with pytest.raises(asyncio.CancelledError):
        await queued
    assert committed(log) == ["first", "third"]


async def test_each_command_runs_in_its_callers_context() -> None:
    g, _ = group()

    async def whose(uow: FakeUnit) -> str:
        return caller.get()

    async def call(name: str) -> str:
        caller.set(name)
        return await g.run(whose)

    assert await asyncio.gather(*(call(n) for n in "abc")) == ["a", "b", "c"]


async def test_the_writer_gate_admits_writers_first_come_first_served() -> None:
    gate = WriteGate()
    order: list[int] = []
    await gate.acquire()

    async def writer(n: int) -> None:
        await gate.acquire()
        order.append(n)
        await asyncio.sleep(0)
        gate.release()

    tasks = [asyncio.create_task(writer(n)) for n in range(5)]
    await asyncio.sleep(0)
    assert gate.waiting == 5 and gate.locked
    gate.release()
    await asyncio.gather(*tasks)
    assert order == [0, 1, 2, 3, 4] and not gate.locked


async def test_a_nested_write_in_the_same_task_raises_instead_of_deadlocking() -> None:
    gate = WriteGate()
    await gate.acquire()
    with pytest.raises(RuntimeError, match="deadlocks"):
        await gate.acquire()
    gate.release()
    await gate.acquire()  # released: free again
    gate.release()


async def test_every_transaction_locks_its_commands_hints_before_running_them() -> None:
    log: list[tuple[str, list[Any]]] = []
    locked: list[list[Any]] = []

    async def lock(uow: FakeUnit, hints: list[Any]) -> None:
        assert uow.ops == []  # before any command of the batch ran
        locked.append(hints)

    g = GroupCommit(lambda: FakeUnit(log, []), changes=lambda uow: len(uow.ops), lock=lock)
    results = await asyncio.gather(g.run(write(0), "a"), g.run(write(1)), g.run(write(2), "b"))
    assert results == ["done 0", "done 1", "done 2"]
    assert locked == [["a", "b"]]  # once for the batch: the hints given, in arrival order
    assert await g.run(write(3), "c") == "done 3"
    assert await g.run(write(4)) == "done 4"
    assert locked == [["a", "b"], ["c"]]  # alone too (when it named any)


async def test_a_batch_whose_locking_fails_runs_its_first_command_alone_and_the_rest_again() -> (
    None
):
    log: list[tuple[str, list[Any]]] = []
    attempts: list[list[Any]] = []

    async def lock(uow: FakeUnit, hints: list[Any]) -> None:
        attempts.append(hints)
        if len(attempts) == 1:
            raise Boom("lost the race for a row")

    g = GroupCommit(lambda: FakeUnit(log, []), changes=lambda uow: len(uow.ops), lock=lock)
    results = await asyncio.gather(*(g.run(write(i), i) for i in range(3)))
    assert results == ["done 0", "done 1", "done 2"]
    assert attempts == [[0, 1, 2], [0], [1, 2]]  # the first alone, the others together
    assert committed(log) == [0, 1, 2]
