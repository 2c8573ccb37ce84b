"""Field tables: an api-v2 representation (a Struct) as its fields, each with the VAS mask paths
it is built from and how; `fields=` selects some, and rendering builds exactly those."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from typing import Any, Generic, NamedTuple, TypeVar

import msgspec
from litestar import Request
from msgspec import UNSET

from app.edge.kit.links import Links
from app.edge.web.errors import bad_request
from app.edge.web.representations.base import Entity
from app.value_added.common.fieldmask import FieldMask
from app.value_added.users import User

T = TypeVar("T")
E = TypeVar("E", bound=Entity)


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
    mask: FieldMask
    users: bool
    fields: tuple[tuple[int, Callable[[Any, Render], Any]], ...]
    """The fields asked for: each one's position in the representation and how it is built."""


SELECTIONS_KEPT = 256
"""Distinct `fields=` values remembered per shape (clients send few, and always the same)."""


class Shape(Generic[T, E]):
    """One representation (a track, a user ...): its Struct, and how each field is built. The
    Struct's required fields and its tag (`kind`) are always answered; `fields=` picks others,
    and the rest are UNSET (left out of the JSON)."""

    def __init__(self, struct: type[E], fields: Mapping[str, Field[T]]):
        config = struct.__struct_config__
        if not isinstance(config.tag, str) or not isinstance(config.tag_field, str):
            raise TypeError(f"{struct.__name__} is not tagged by its kind")
        if set(fields) != set(struct.__struct_fields__):
            raise TypeError(f"{struct.__name__}: the field table and the Struct differ")
        self.entity: str = config.tag
        self.struct = struct
        self._build: Callable[..., E] = struct
        self._blank = (UNSET,) * len(struct.__struct_fields__)
        self.fields = dict(fields)
        self.names = (config.tag_field, *self.fields)
        """Every name `fields=` may ask for."""
        required = [f.name for f in msgspec.structs.fields(struct) if f.required]
        self.always = (*required, config.tag_field)
        self._all = self._selection(set(self.fields))
        self._asked = functools.lru_cache(maxsize=SELECTIONS_KEPT)(self._parse)

    def _selection(self, names: set[str]) -> Selection:
        chosen = [(i, n) for i, n in enumerate(self.struct.__struct_fields__) if n in names]
        used = [self.fields[n] for _, n in chosen]
        return Selection(
            FieldMask({p for f in used for p in f.paths}),
            any(f.users for f in used),
            tuple((i, self.fields[n].get) for i, n in chosen),
        )

    def _parse(self, raw: str) -> Selection:
        asked = [n.strip() for n in raw.split(",") if n.strip()]
        for name in asked:
            if name not in self.names:
                raise bad_request(
                    "unknown_field", f"unknown field {name!r} for {self.entity}", name
                )
        return self._selection({*self.always, *asked})

    def select(self, raw: str | None) -> Selection:
        """The fields a page asked for; unknown names are a 400 naming the field."""
        if raw is None or not raw.strip():
            return self._all
        return self._asked(raw)

    def all(self) -> Selection:
        return self._all

    def render(self, item: T, selection: Selection, ctx: Render) -> E:
        """The representation of `item`, built positionally (the cheapest way to a Struct)."""
        if len(selection.fields) == len(self._blank):
            return self._build(*[get(item, ctx) for _, get in selection.fields])
        values = list(self._blank)
        for index, get in selection.fields:
            values[index] = get(item, ctx)
        return self._build(*values)
