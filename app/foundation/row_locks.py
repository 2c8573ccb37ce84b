"""The hot rows a grouped command locks, named up front so a batch can lock them in one order."""

from __future__ import annotations

from collections.abc import Iterable

import msgspec


class RowLocks(msgspec.Struct, frozen=True):
    """The rows a command is about to lock, by id. A group commit on PostgreSQL takes those of
    every command of its batch before running any — policies (shared) first, then counters:
    tracks', playlists', users', each kind in id order — so two processes' batches never wait
    for each other in a cycle on them (a deadlock)."""

    policies: tuple[int, ...] = ()
    """Tracks whose policy the command counts by, locked shared (`PoliciesRepository.locked`)."""
    track_counts: tuple[int, ...] = ()
    playlist_counts: tuple[int, ...] = ()
    user_counts: tuple[int, ...] = ()


def merged(locks: Iterable[RowLocks]) -> RowLocks:
    """All of `locks` in one, each kind's ids once and in order."""
    locks = list(locks)

    def ids(kind: str) -> tuple[int, ...]:
        return tuple(sorted({i for lock in locks for i in getattr(lock, kind)}))

    return RowLocks(
        policies=ids("policies"),
        track_counts=ids("track_counts"),
        playlist_counts=ids("playlist_counts"),
        user_counts=ids("user_counts"),
    )
