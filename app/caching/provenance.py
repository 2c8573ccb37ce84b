"""Provenance of results, below every layer: which record-cache entries a result was built
from, whether anything came from elsewhere, and until when its time-dependent decisions hold.
The foundation's record cache writes it, derived and edge caches read it; the layers record
into the one opened by `tracking()` (a context variable), never each other."""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from typing import Any

Entry = tuple[float, Any, int]
"""(expires_at, value, size): one cached record; replaced, never mutated, when it changes."""


class Provenance:
    """What one response was built from: the record-cache entries it read, whether anything
    came from elsewhere (a cache miss, a database connection), and the earliest moment a
    time-dependent decision in it (an unreleased track's release) changes."""

    __slots__ = ("checked_at", "complete", "entries", "expires", "valid_until")

    def __init__(self) -> None:
        self.entries: dict[tuple[str, Hashable], Entry] = {}
        self.complete = True
        self.valid_until: dt.datetime | None = None
        self.checked_at = -1
        """The record cache's generation when the entries were last found current."""
        self.expires = 0.0
        """When the first of the entries expires (set with checked_at)."""


_provenance: contextvars.ContextVar[Provenance | None] = contextvars.ContextVar(
    "provenance", default=None
)


def current() -> Provenance | None:
    """The provenance being recorded in this context, if any."""
    return _provenance.get()


@contextmanager
def tracking() -> Iterator[Provenance]:
    """Record the provenance of everything read in this context (tasks it spawns included);
    inside another tracking context, what this one saw counts for the outer one too."""
    provenance = Provenance()
    token = _provenance.set(provenance)
    try:
        yield provenance
    finally:
        _provenance.reset(token)
        note_derived_from(provenance)


def note_derived_from(provenance: Provenance) -> None:
    """What is being built now depends on everything `provenance` recorded (a value derived
    from records and kept, e.g. an app's public view, being used)."""
    outer = _provenance.get()
    if outer is None:
        return
    outer.entries.update(provenance.entries)
    outer.complete = outer.complete and provenance.complete
    if provenance.valid_until is not None:
        note_valid_until(provenance.valid_until)


def note_outside_read() -> None:
    """Something was read from outside the record cache (the database)."""
    provenance = _provenance.get()
    if provenance is not None:
        provenance.complete = False


def note_valid_until(moment: dt.datetime | None) -> None:
    """A decision just made changes at `moment` (None: it does not change with time), e.g. a
    track is released then: whoever decided records what the pure policy returned."""
    provenance = _provenance.get()
    if (
        moment is not None
        and provenance is not None
        and (provenance.valid_until is None or moment < provenance.valid_until)
    ):
        provenance.valid_until = moment
