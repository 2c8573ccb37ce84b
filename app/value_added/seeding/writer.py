"""Writes generated batches of one table (or two) in one transaction, reporting progress."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

from app.foundation.bulk import deferred_indexes
from app.foundation.unit_of_work import Database, UnitOfWork
from app.value_added.seeding.plan import Progress

T = TypeVar("T")
Insert = Callable[[UnitOfWork, T], Awaitable[int]]
"""Writes one batch on the unit of work; returns how many rows it wrote."""


class BulkWriter:
    """`await write(label, expected, batches, insert)`; `rows` holds what was written per label.

    A label is written atomically, its indexes built once at the end (deferred_indexes).
    """

    def __init__(self, db: Database, progress: Progress | None) -> None:
        self._db = db
        self._progress = progress
        self.rows: dict[str, int] = {}

    async def write(
        self, label: str, expected: int, batches: Iterable[T], insert: Insert[T]
    ) -> None:
        done = 0
        if self._progress is not None:
            self._progress(label, 0, expected)
        async with self._db.write() as uow, deferred_indexes(uow, expected):
            for batch in batches:
                done += await insert(uow, batch)
                if self._progress is not None:
                    self._progress(label, done, max(expected, done))
        if self._progress is not None:
            self._progress(label, done, done)
        self.rows[label] = self.rows.get(label, 0) + done
