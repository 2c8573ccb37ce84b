"""`GET /tracks` filters (q, urns, genres, tags, bpm[..], duration[..], created_at[..], access)
mapped onto the Tracks VAS query."""

from __future__ import annotations

import datetime as dt

from app.edge.public import ids
from app.edge.public.views import View
from app.value_added.common.errors import InvalidArgument
from app.value_added.tracks import TrackQuery


def _csv(raw: str | None) -> tuple[str, ...] | None:
    if raw is None:
        return None
    values = tuple(v.strip() for v in raw.split(",") if v.strip())
    return values or None


def _number(view: View, name: str) -> float | None:
    raw = view.param(name)
    if raw is None or not raw.strip():
        return None
    try:
        return float(raw)
    except ValueError:
        raise InvalidArgument(f"{name} must be a number; got {raw!r}", field=name) from None


def _moment(view: View, name: str) -> dt.datetime | None:
    raw = view.param(name)
    if raw is None or not raw.strip():
        return None
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(raw.strip(), fmt).replace(tzinfo=dt.UTC)
        except ValueError:
            continue
    raise InvalidArgument(f"{name} must be formatted yyyy-mm-dd hh:mm:ss; got {raw!r}", field=name)


def _ms(value: float | None) -> int | None:
    return None if value is None else int(value)


def track_query(view: View) -> TrackQuery:
    urns = view.param("urns") or view.param("ids")
    text = (view.param("q") or "").strip() or None
    return TrackQuery(
        text=text,
        ids=ids.parse_list(urns, "tracks"),
        genres=_csv(view.param("genres")),
        tags=_csv(view.param("tags")),
        bpm_from=_number(view, "bpm[from]"),
        bpm_to=_number(view, "bpm[to]"),
        duration_from_ms=_ms(_number(view, "duration[from]")),
        duration_to_ms=_ms(_number(view, "duration[to]")),
        created_from=_moment(view, "created_at[from]"),
        created_to=_moment(view, "created_at[to]"),
        access=view.access(),
    )
