"""`fields=`: api-v2 field names -> VAS field-mask paths, and rendering exactly those fields."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Generic, NamedTuple, TypeVar

import msgspec
from litestar import Request

from app.edge.kit.links import absolute, mount_path
from app.edge.web.errors import bad_request
from app.value_added.common.fieldmask import FieldMask
from app.value_added.users import User

T = TypeVar("T")


class Render(msgspec.Struct, kw_only=True):
    """What a mapper needs besides the aggregate: the request (for links) and embedded users."""

    request: Request[Any, Any, Any]
    users: dict[int, User] = {}
    secret_tokens: dict[int, str] = {}
    """Track id -> the secret token the request carried (kept in links for private tracks)."""

    def url(self, path: str, params: dict[str, Any] | None = None) -> str:
        """An absolute URL under this BFF (`/tracks/1` -> `http://host/web/tracks/1`)."""
        return absolute(self.request, mount_path(self.request) + path, params)

    def site(self, path: str) -> str:
        """An absolute URL outside this BFF (`/media/...`, permalinks)."""
        return absolute(self.request, path)


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
