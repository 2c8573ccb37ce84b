"""The in-memory tables behind the fakes, and the helpers every fake repository shares."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import msgspec

from app.foundation.counters.records import PlaylistCounts, TrackCounts, UserCounts
from app.foundation.media.records import MediaRecord, TranscodingRecord
from app.foundation.playlists.records import EntryRecord, PlaylistRecord
from app.foundation.plays.records import PlayRecord
from app.foundation.policies.records import TrackPolicyRecord
from app.foundation.query import Key, Page, _encode, unique
from app.foundation.social.records import CommentRecord
from app.foundation.tracks.records import TrackRecord
from app.foundation.users.records import UserRecord, WebProfileRecord

R = TypeVar("R", bound=msgspec.Struct)

EDGE_KINDS = ("track_likes", "track_reposts", "playlist_likes", "playlist_reposts", "follows")
Edge = tuple[int, int]
"""(user id, target id) → created_at, per kind."""


@dataclasses.dataclass
class State:
    """Every table as a dict of frozen records; `copy()` is a snapshot for one unit of work."""

    users: dict[int, UserRecord] = dataclasses.field(default_factory=dict)
    web_profiles: dict[int, WebProfileRecord] = dataclasses.field(default_factory=dict)
    tracks: dict[int, TrackRecord] = dataclasses.field(default_factory=dict)
    policies: dict[int, TrackPolicyRecord] = dataclasses.field(default_factory=dict)
    media: dict[int, MediaRecord] = dataclasses.field(default_factory=dict)
    transcodings: dict[int, TranscodingRecord] = dataclasses.field(default_factory=dict)
    playlists: dict[int, PlaylistRecord] = dataclasses.field(default_factory=dict)
    entries: dict[int, EntryRecord] = dataclasses.field(default_factory=dict)
    edges: dict[str, dict[Edge, dt.datetime]] = dataclasses.field(
        default_factory=lambda: {kind: {} for kind in EDGE_KINDS}
    )
    comments: dict[int, CommentRecord] = dataclasses.field(default_factory=dict)
    plays: dict[int, PlayRecord] = dataclasses.field(default_factory=dict)
    downloads: dict[int, PlayRecord] = dataclasses.field(default_factory=dict)
    redeemed_grants: dict[str, int] = dataclasses.field(default_factory=dict)
    track_counters: dict[int, TrackCounts] = dataclasses.field(default_factory=dict)
    playlist_counters: dict[int, PlaylistCounts] = dataclasses.field(default_factory=dict)
    user_counters: dict[int, UserCounts] = dataclasses.field(default_factory=dict)

    def copy(self) -> State:
        """Records are frozen, so copying each table one level deep isolates the snapshot."""
        tables = {f.name: dict(getattr(self, f.name)) for f in dataclasses.fields(self)}
        tables["edges"] = {kind: dict(edges) for kind, edges in self.edges.items()}
        return State(**tables)


class Repo:
    """Base of the fake repositories: the unit of work's snapshot and the database's clock."""

    def __init__(self, state: State, clock: Callable[[], dt.datetime]) -> None:
        self._s = state
        self._now = clock


FIRST_IDS = {
    "users": 200_000_000,
    "tracks": 1_000_000_000,
    "playlists": 1_500_000_000,
    "comments": 2_000_000_000,
}
"""Where a migrated database starts these tables' ids (migration 0010: SoundCloud's range)."""


def next_id(table: dict[int, Any], first: int = 1) -> int:
    """SQLite's rowid rule: one more than the largest id present, and at least `first` (the
    start of the table's AUTOINCREMENT sequence)."""
    return max(max(table, default=0) + 1, first)


def build(record: type[R], defaults: dict[str, Any], values: dict[str, Any]) -> R:
    """A record from column defaults overridden by `values` (unknown columns are ignored)."""
    fields = set(record.__struct_fields__)
    return record(**{k: v for k, v in (defaults | values).items() if k in fields})


def get_many(table: dict[int, R], ids: Sequence[int]) -> list[R]:
    """Request order, missing ids dropped, duplicates once (as the real `get_many`)."""
    return [table[i] for i in unique(ids) if i in table]


def like(value: str, pattern: str) -> bool:
    """SQL LIKE (case-sensitive on the given strings): `%` any run, `_` one character."""
    regex = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, flags=re.DOTALL) is not None


def keyset_page(
    rows: Iterable[R], record: type[R], names: Sequence[str], after: Key | None, limit: int
) -> Page[R]:
    """`fetch_page` without SQL: descending by `names`, strictly after `after`, same Key."""

    def key(r: R) -> Key:
        return tuple(_encode(getattr(r, n)) for n in names)

    items = list(rows)
    if after is not None:
        if len(after) != len(names):
            raise ValueError("malformed keyset key")
        types = {f.name: f.type for f in msgspec.structs.fields(record)}
        for name, part in zip(names, after, strict=True):
            if types.get(name) is dt.datetime and not isinstance(part, int):
                raise ValueError("malformed keyset key")
        items = [r for r in items if key(r) < after]
    items.sort(key=key, reverse=True)
    if len(items) <= limit:
        return Page(items=items, next_key=None)
    items = items[:limit]
    return Page(items=items, next_key=key(items[-1]))
