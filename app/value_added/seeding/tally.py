"""Counter deltas accumulated while rows are generated, turned into counter rows in bulk."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import repeat

FIELDS = {
    "users": (
        "followers", "followings", "tracks", "playlists",
        "likes", "playlist_likes", "reposts", "comments",
    ),
    "tracks": ("likes", "reposts", "plays", "comments", "downloads"),
    "playlists": ("likes", "reposts", "tracks", "duration_ms"),
}  # fmt: skip
"""Counter columns per kind, in the counter tables' column order (after the key)."""
KEYS = {"users": "user_id", "tracks": "track_id", "playlists": "playlist_id"}


class Tally:
    """Per-entity counter deltas of users, tracks and playlists (one Counter per field, so
    whole batches are tallied at C speed with `add_ids`)."""

    def __init__(self) -> None:
        self._counts: dict[str, dict[str, Counter[int]]] = {
            kind: {field: Counter() for field in fields} for kind, fields in FIELDS.items()
        }

    def add(self, kind: str, entity_id: int, field: str, n: int = 1) -> None:
        self._counts[kind][field][entity_id] += n

    def add_ids(self, kind: str, field: str, ids: Iterable[int]) -> None:
        """Count one for every occurrence of an id in `ids`."""
        self._counts[kind][field].update(ids)

    def new_rows(self, kind: str, ids: range) -> list[tuple[int, ...]]:
        """Complete counter rows (key, *FIELDS[kind]; zeros included) for new entities."""
        columns = [list(map(self._counts[kind][f].get, ids, repeat(0))) for f in FIELDS[kind]]
        return list(zip(ids, *columns, strict=True))

    def existing_deltas(self, kind: str, new_ids: range) -> dict[int, dict[str, int]]:
        """Deltas to add to entities that existed before this run."""
        deltas: dict[int, dict[str, int]] = {}
        for field, counts in self._counts[kind].items():
            for entity_id, n in counts.items():
                if n and entity_id not in new_ids:
                    deltas.setdefault(entity_id, {})[field] = n
        return deltas
