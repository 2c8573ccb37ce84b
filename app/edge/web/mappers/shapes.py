"""Field tables: an api-v2 representation (a Struct) as its fields, each with the VAS mask paths
it is built from and how; `fields=` selects some, and rendering builds exactly those."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, Generic, NamedTuple, TypeVar

import msgspec
from litestar import Request
from msgspec import UNSET, UnsetType

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


def _left_out(_item: Any, _ctx: Render) -> UnsetType:
    return UNSET


class Selection(NamedTuple):
    mask: FieldMask
    users: bool
    getters: tuple[Callable[[Any, Render], Any], ...]
    """How each field of the representation is built, in its order (UNSET where not asked)."""


class Shape(Generic[T, E]):
    """One representation (a track, a user ...): its Struct, and how each field is built. The
    Struct's required fields and its tag (`kind`) are always answered; `fields=` picks others."""

    def __init__(self, struct: type[E], fields: Mapping[str, Field[T]]):
        config = struct.__struct_config__
        if not isinstance(config.tag, str) or not isinstance(config.tag_field, str):
            raise TypeError(f"{struct.__name__} is not tagged by its kind")
        if set(fields) != set(struct.__struct_fields__):
            raise TypeError(f"{struct.__name__}: the field table and the Struct differ")
        self.entity: str = config.tag
        self.struct = struct
        self._build: Callable[..., E] = struct
        self.fields = dict(fields)
        self.names = (config.tag_field, *self.fields)
        """Every name `fields=` may ask for."""
        required = [f.name for f in msgspec.structs.fields(struct) if f.required]
        self.always = (*required, config.tag_field)
        self._all = self._selection(set(self.fields))

    def _selection(self, names: set[str]) -> Selection:
        order = self.struct.__struct_fields__
        used = [self.fields[n] for n in order if n in names]
        return Selection(
            FieldMask({p for f in used for p in f.paths}),
            any(f.users for f in used),
            tuple(self.fields[n].get if n in names else _left_out for n in order),
        )

    def select(self, raw: str | None) -> Selection:
        """The fields a page asked for; unknown names are a 400 naming the field."""
        if raw is None or not raw.strip():
            return self._all
        asked = [n.strip() for n in raw.split(",") if n.strip()]
        for name in asked:
            if name not in self.names:
                raise bad_request(
                    "unknown_field", f"unknown field {name!r} for {self.entity}", name
                )
        return self._selection({*self.always, *asked})

    def all(self) -> Selection:
        return self._all

    def render(self, item: T, selection: Selection, ctx: Render) -> E:
        return self._build(*[get(item, ctx) for get in selection.getters])
