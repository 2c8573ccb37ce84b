"""Query parameters as SoundCloud reads them: lenient flags, clamped limits, access levels,
and `GET /tracks` filters (q, urns, genres, tags, bpm[..], duration[..], created_at[..]) mapped
onto the Tracks VAS query. What the document says of each: params/query_schemas.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Request

from app.edge.kit import bounds
from app.edge.public.params import ids, moments
from app.value_added.access import Access
from app.value_added.catalog.validation import MAX_DURATION_MS
from app.value_added.common.errors import InvalidArgument
from app.value_added.tracks import TrackQuery

MAX_LIMIT = bounds.MAX_PAGE_LIMIT
DEFAULT_ACCESS: frozenset[Access] = frozenset({"playable", "preview"})
ALL_ACCESS: frozenset[Access] = frozenset({"playable", "preview", "blocked"})
TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off"})
ID_LISTS = ("urns", "ids")
"""The names a list of ids goes by (`ids` is SoundCloud's deprecated one); `urns` wins."""


class Query:
    """The query parameters of one request, read the way SoundCloud's API reads them."""

    def __init__(self, request: Request[Any, Any, Any]) -> None:
        self.request = request

    def param(self, name: str) -> str | None:
        value = self.request.query_params.get(name)
        return value if isinstance(value, str) else None

    def flag(self, name: str, default: bool) -> bool:
        raw = (self.param(name) or "").strip().lower()
        if raw in TRUE:
            return True
        if raw in FALSE:
            return False
        return default

    @property
    def linked(self) -> bool:
        return self.flag("linked_partitioning", False)

    @property
    def cursor(self) -> str | None:
        return self.param("cursor") or None

    @property
    def secret_token(self) -> str | None:
        return self.param("secret_token") or None

    def limit(self, default: int | None = None) -> int | None:
        """`limit`, clamped to 1..200 as SoundCloud does (empty: the default)."""
        raw = self.param("limit")
        if not raw:
            return default
        return min(max(bounds.whole_number(raw, "limit"), 1), MAX_LIMIT)

    def access(self, default: frozenset[Access] = DEFAULT_ACCESS) -> frozenset[Access]:
        values = [
            v.strip()
            for raw in self.request.query_params.getall("access", [])
            for v in str(raw).split(",")
            if v.strip()
        ]
        chosen: set[Access] = set()
        for level in ALL_ACCESS:
            if level in values:
                chosen.add(level)
        return frozenset(chosen) if chosen else default

    @property
    def text(self) -> str | None:
        """The search words `q` (bounded by the kit), None when blank."""
        return (bounds.search_text(self.param("q")) or "").strip() or None

    def ids(self, kind: str) -> tuple[int, ...] | None:
        """The ids `urns` (else `ids`) lists, each list bounded like any list filter; entries
        naming no `kind` match nothing. None: no such filter."""
        lists = {name: self.param(name) for name in ID_LISTS}
        for name, raw in lists.items():
            if raw:
                bounds.term_list(raw.split(","), name)
        return ids.parse_list(lists["urns"] or lists["ids"], kind)

    def track_query(self) -> TrackQuery:
        """The `GET /tracks` filters."""
        return TrackQuery(
            text=self.text,
            ids=self.ids("tracks"),
            genres=self._terms("genres"),
            tags=self._terms("tags"),
            bpm_from=self._number("bpm[from]"),
            bpm_to=self._number("bpm[to]"),
            duration_from_ms=_ms(self._number("duration[from]")),
            duration_to_ms=_ms(self._number("duration[to]")),
            created_from=self._moment("created_at[from]"),
            created_to=self._moment("created_at[to]"),
            access=self.access(),
        )

    def _terms(self, name: str) -> tuple[str, ...] | None:
        """A comma-separated list filter (blank entries ignored); None: none."""
        raw = self.param(name)
        if raw is None:
            return None
        values = bounds.term_list(raw.split(","), name)
        return tuple(v.strip() for v in values if v.strip()) or None

    def _number(self, name: str) -> float | None:
        raw = self.param(name)
        return bounds.number(raw, name) if raw else None

    def _moment(self, name: str) -> dt.datetime | None:
        raw = self.param(name)
        if raw is None:
            return None
        try:
            return moments.moment(raw)
        except ValueError:
            raise InvalidArgument(
                f"{name} must be an RFC 3339 date-time or formatted yyyy-mm-dd hh:mm:ss; "
                f"got {raw[:40]!r}",
                field=name,
            ) from None


def _ms(value: float | None) -> int | None:
    """A duration bound in whole milliseconds; one beyond any track's length (an int32) bounds
    alike at that length."""
    if value is None:
        return None
    return max(-MAX_DURATION_MS, min(int(value), MAX_DURATION_MS))
