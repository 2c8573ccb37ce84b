"""The Web API's field tables build the Structs its OpenAPI document shows: a table must name
exactly its Struct's fields, `id` and `kind` are always answered, and `fields=` leaves the
rest out of the JSON."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
import pytest

from app.edge.kit.errors import EdgeError
from app.edge.web.mappers.playlists import PLAYLIST, PLAYLIST_FULL
from app.edge.web.mappers.shapes import Field, Render, Shape
from app.edge.web.mappers.tracks import TRACK, TRACK_FULL
from app.edge.web.mappers.users import BASIC_FIELDS, BASIC_USER, ME, USER
from app.edge.web.representations.users import BasicUser, User
from app.value_added.users import User as UserAggregate
from app.value_added.users import UserStats

SHAPES: list[Shape[Any, Any]] = [TRACK, TRACK_FULL, PLAYLIST, PLAYLIST_FULL, USER, ME, BASIC_USER]


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s.struct.__name__)
def test_every_table_builds_its_struct_with_id_and_kind_always(shape: Shape[Any, Any]) -> None:
    assert set(shape.always) == {"id", "kind"}
    assert set(shape.fields) == set(shape.struct.__struct_fields__)
    assert shape.names[0] == "kind" and set(shape.names) == {"kind", *shape.fields}


def test_a_table_and_its_struct_must_name_the_same_fields() -> None:
    missing = {k: v for k, v in BASIC_FIELDS.items() if k != "city"}
    with pytest.raises(TypeError, match="differ"):
        Shape(BasicUser, missing)
    extra = {**BASIC_FIELDS, "nickname": Field(("username",), lambda u, _r: u.username)}
    with pytest.raises(TypeError, match="differ"):
        Shape(User, extra)


class _Links:
    def api(self, path: str, params: dict[str, Any] | None = None) -> str:
        return f"http://host/web{path}"

    def site(self, path: str) -> str:
        return f"http://host{path}"

    def page(self, path: str) -> str:
        return f"http://host{path}"


def test_fields_leaves_everything_else_out_of_the_json() -> None:
    ctx = Render.__new__(Render)
    ctx.links = _Links()  # type: ignore[assignment]
    user = UserAggregate(
        id=7,
        username="ada",
        permalink="ada",
        first_name="Ada",
        last_name="L",
        full_name="Ada L",
        city="",
        country=None,
        plan="free",
        avatar_key=None,
        updated_at=dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        stats=UserStats(1, 2, 3, 4, 5, 6, 7, 8),
    )
    selection = BASIC_USER.select(" username ,city")
    assert BASIC_USER.select(" username ,city") is selection
    body = msgspec.json.decode(msgspec.json.encode(BASIC_USER.render(user, selection, ctx)))
    assert body == {"kind": "user", "id": 7, "username": "ada", "city": None}
    with pytest.raises(EdgeError):
        BASIC_USER.select("username,nickname")
    whole = msgspec.json.decode(msgspec.json.encode(BASIC_USER.render(user, BASIC_USER.all(), ctx)))
    assert len(whole) == len(BASIC_FIELDS) + 1 and whole["avatar_url"].startswith("http://host/")
    assert whole["last_modified"] == "2024-01-02T03:04:05Z" and whole["followers_count"] == 1
