"""The Public API's query parameters are read as its document says: each one every operation
reads is documented, strict ones (numbers, moments, bounded lists) refuse what the document
forbids with a 400 naming the parameter, lenient ones (flags, limits, access) take anything."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import Harness
from tests.factories import make_track, make_user


async def _setup(h: Harness) -> dict[str, str]:
    app, _ = await h.new_app("query-client", bffs=("public",))
    me = await h.new_user("listener")
    await make_track(h.services.deps.db, await make_user(h.services.deps.db), title="Song")
    return {"Authorization": f"OAuth {await h.user_token(app, me)}"}


async def _tracks(h: Harness, auth: dict[str, str], **params: str) -> Any:
    return await h.client.get("/public/tracks", params=params, headers=auth)


async def test_every_read_parameter_is_documented(sqlite_harness: Harness) -> None:
    document = (await sqlite_harness.client.get("/public/schema/openapi.json")).json()

    def names(path: str, method: str = "get") -> set[str]:
        operation = document["paths"][path][method]
        return {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}

    assert names("/tracks") == {
        "q",
        "urns",
        "ids",
        "genres",
        "tags",
        "bpm[from]",
        "bpm[to]",
        "duration[from]",
        "duration[to]",
        "created_at[from]",
        "created_at[to]",
        "access",
        "limit",
        "linked_partitioning",
        "cursor",
    }
    assert names("/tracks/{track_urn}") == {"secret_token"}
    assert names("/users") == {"q", "urns", "ids", "limit", "cursor"}
    assert names("/playlists/{playlist_urn}") == {"show_tracks", "secret_token", "access"}
    assert names("/users/{user_urn}/tracks") == {"limit", "cursor", "linked_partitioning", "access"}
    assert names("/me/playlists") == {"show_tracks", "limit", "cursor", "linked_partitioning"}
    assert names("/resolve") == {"url"}
    assert names("/likes/tracks/{track_urn}", "post") == {"secret_token"}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("bpm[from]", " 5"),
        ("bpm[to]", "1_0"),
        ("duration[from]", "nan"),
        ("duration[to]", "9223372036854775808"),
        ("limit", "1_0"),
        ("limit", "5 "),
        ("limit", "2.5"),
        ("created_at[from]", "2021-02-29"),
        ("created_at[from]", "2020-01-01T10"),
        ("created_at[to]", " 2020-01-01"),
        ("created_at[to]", "2020-01-01 10:00"),
        ("ids", ",".join(["1"] * 201)),
    ],
)
async def test_what_the_document_forbids_is_a_400_naming_it(
    sqlite_harness: Harness, name: str, value: str
) -> None:
    h = sqlite_harness
    r = await _tracks(h, await _setup(h), urns="soundcloud:tracks:1", **{name: value})
    assert r.status_code == 400, r.text
    assert r.json()["field"] == name


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("bpm[from]", ""),
        ("bpm[from]", "-1e3"),
        ("duration[to]", "9007199254740992"),
        ("limit", ""),
        ("limit", "-5"),
        ("limit", "100000000000000000000000000"),
        ("created_at[from]", ""),
        ("created_at[from]", "2024-02-29"),
        ("created_at[from]", "2020-01-01 23:59:59"),
        ("created_at[from]", "2020-01-01T10:00:00.1234567z"),
        ("created_at[from]", "2016-12-31T23:59:60Z"),
        ("created_at[from]", "0001-01-01T00:00:00+01:00"),
        ("created_at[to]", "9999-12-31T23:59:59-23:59"),
        ("linked_partitioning", "maybe"),
        ("access", "nothing,blocked"),
        ("genres", ",".join(["house"] * 200)),
    ],
)
async def test_what_the_document_admits_is_answered(
    sqlite_harness: Harness, name: str, value: str
) -> None:
    h = sqlite_harness
    r = await _tracks(h, await _setup(h), **{name: value})
    assert r.status_code == 200, r.text


async def test_filters_at_their_bounds_answer_on_every_database(harness: Harness) -> None:
    h = harness
    auth = await _setup(h)
    longest = {"duration[from]": "-9007199254740992", "duration[to]": "9007199254740992"}
    assert [t["title"] for t in (await _tracks(h, auth, **longest)).json()] == ["Song"]
    assert (await _tracks(h, auth, **{"duration[from]": "9007199254740992"})).json() == []
    everything = await _tracks(h, auth, **{"created_at[from]": "0001-01-01T00:00:00+01:00"})
    assert [t["title"] for t in everything.json()] == ["Song"]
    for late in ("9999-12-31T23:59:59-23:59", "9999-12-31 23:59:59"):
        assert (await _tracks(h, auth, **{"created_at[from]": late})).json() == []
    before = await _tracks(h, auth, **{"created_at[to]": "2000-01-01T01:00:00+02:00"})
    assert before.status_code == 200 and before.json() == []


async def test_resolving_what_is_no_url_finds_nothing(sqlite_harness: Harness) -> None:
    h = sqlite_harness
    auth = await _setup(h)
    for url in ("https://[soundcloud.com/a/b", "a]b/c"):
        r = await h.client.get("/public/resolve", params={"url": url}, headers=auth)
        assert r.status_code == 404, r.text
