"""Field tables: an api-v2 representation as its fields, each with the VAS mask paths it is
built from and how; `fields=` selects some, and rendering builds exactly those."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, Generic, NamedTuple, TypeVar

from litestar import Request

from app.edge.kit.links import Links
from app.edge.web.errors import bad_request
from app.value_added.common.fieldmask import FieldMask
from app.value_added.users import User

T = TypeVar("T")


class Render:
    """What a mapper needs besides the aggregate: the request's links and embedded users."""

    def __init__(
        self,
        request: Request[Any, Any, Any],
        users: dict[int, User] | None = None,
        secret_tokens: dict[int, str] | None = None,
    ) -> None:
        self.request = request
        self.links = Links(request)
        self.users = users or {}
        self.secret_tokens = secret_tokens or {}
        """Track id -> the secret token the request carried (kept in links for private
        tracks)."""

    def url(self, path: str, params: dict[str, Any] | None = None) -> str:
        """An absolute URL under this BFF (`/tracks/1` -> `http://host/web/tracks/1`)."""
        return self.links.api(path, params)

    def site(self, path: str) -> str:
        """An absolute URL outside this BFF (`/media/...`)."""
        return self.links.site(path)

    def page(self, path: str) -> str:
        """A permalink page (under SITE_URL when set)."""
        return self.links.page(path)


def urn(kind: str, ident: int) -> str:
    return f"soundcloud:{kind}:{ident}"


def iso(moment: object) -> str | None:
    """ISO 8601 in UTC with a Z, as api-v2 writes it: 2019-01-15T15:40:49Z (None if absent)."""
    if not isinstance(moment, dt.datetime):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def epoch_ms(moment: dt.datetime | None) -> int | None:
    """Milliseconds since the epoch, as api-v2 dates play history (None if absent)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return int(moment.timestamp() * 1000)


def iso_date(day: object) -> str | None:
    return f"{day.isoformat()}T00:00:00Z" if isinstance(day, dt.date) else None


class Field(NamedTuple, Generic[T]):
    paths: tuple[str, ...]
    """The VAS mask paths this field is built from."""
    get: Callable[[T, Render], Any]
    users: bool = False
    """Needs the owner's profile (embedded `user`, permalink_url)."""


class Selection(NamedTuple):
    names: tuple[str, ...]
    mask: FieldMask
    users: bool


class Shape(Generic[T]):
    """One representation (a track, a user ...): its fields and how each is built."""

    def __init__(self, entity: str, fields: Mapping[str, Field[T]], always: tuple[str, ...]):
        self.entity = entity
        self.fields = dict(fields)
        self.always = always
        every = {p for f in self.fields.values() for p in f.paths}
        self._all = Selection(tuple(self.fields), FieldMask(every), True)

    def select(self, raw: str | None) -> Selection:
        """The fields a page asked for; unknown names are a 400 naming the field."""
        if raw is None or not raw.strip():
            return self._all
        asked = [n.strip() for n in raw.split(",") if n.strip()]
        for name in asked:
            if name not in self.fields:
                raise bad_request(
                    "unknown_field", f"unknown field {name!r} for {self.entity}", name
                )
        names = tuple(dict.fromkeys([*self.always, *asked]))
        paths = {p for n in names for p in self.fields[n].paths}
        return Selection(names, FieldMask(paths), any(self.fields[n].users for n in names))

    def all(self) -> Selection:
        return self.select(None)

    def render(self, item: T, selection: Selection, ctx: Render) -> dict[str, Any]:
        return {name: self.fields[name].get(item, ctx) for name in selection.names}
