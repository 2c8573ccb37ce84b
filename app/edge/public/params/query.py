"""Query parameters as SoundCloud reads them: lenient flags, clamped limits, access levels,
and `GET /tracks` filters (q, urns, genres, tags, bpm[..], duration[..], created_at[..]) mapped
onto the Tracks VAS query."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Request

from app.edge.kit import bounds
from app.edge.public.params import ids
from app.value_added.access import Access
from app.value_added.common.errors import InvalidArgument
from app.value_added.tracks import TrackQuery

MAX_LIMIT = 200
DEFAULT_ACCESS: frozenset[Access] = frozenset({"playable", "preview"})
ALL_ACCESS: frozenset[Access] = frozenset({"playable", "preview", "blocked"})
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


class Query:
    """The query parameters of one request, read the way SoundCloud's API reads them."""

    def __init__(self, request: Request[Any, Any, Any]) -> None:
        self.request = request

    def param(self, name: str) -> str | None:
        value = self.request.query_params.get(name)
        return value if isinstance(value, str) else None

    def flag(self, name: str, default: bool) -> bool:
        raw = (self.param(name) or "").strip().lower()
        if raw in _TRUE:
            return True
        if raw in _FALSE:
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
        """`limit`, clamped to 1..200 as SoundCloud does."""
        raw = self.param("limit")
        if raw is None or not raw.strip():
            return default
        try:
            value = int(raw)
        except ValueError:
            raise InvalidArgument(
                f"limit must be a whole number; got {raw!r}", field="limit"
            ) from None
        return min(max(value, 1), MAX_LIMIT)

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

    def track_query(self) -> TrackQuery:
        """The `GET /tracks` filters."""
        urns = self.param("urns") or self.param("ids")
        if urns:
            bounds.term_list(urns.split(","), "urns")
        return TrackQuery(
            text=self.text,
            ids=ids.parse_list(urns, "tracks"),
            genres=_csv(self.param("genres"), "genres"),
            tags=_csv(self.param("tags"), "tags"),
            bpm_from=self._number("bpm[from]"),
            bpm_to=self._number("bpm[to]"),
            duration_from_ms=_ms(self._number("duration[from]")),
            duration_to_ms=_ms(self._number("duration[to]")),
            created_from=self._moment("created_at[from]"),
            created_to=self._moment("created_at[to]"),
            access=self.access(),
        )

    def _number(self, name: str) -> float | None:
        raw = self.param(name)
        if raw is None or not raw.strip():
            return None
        return bounds.number(raw, name)

    def _moment(self, name: str) -> dt.datetime | None:
        raw = self.param(name)
        if raw is None or not raw.strip():
            return None
        for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
            try:
                return dt.datetime.strptime(raw.strip(), fmt).replace(tzinfo=dt.UTC)
            except ValueError:
                continue
        raise InvalidArgument(
            f"{name} must be formatted yyyy-mm-dd hh:mm:ss; got {raw!r}", field=name
        )


def _csv(raw: str | None, field: str) -> tuple[str, ...] | None:
    if raw is None:
        return None
    values = tuple(bounds.term_list([v.strip() for v in raw.split(",") if v.strip()], field))
    return values or None


def _ms(value: float | None) -> int | None:
    return None if value is None else int(value)
