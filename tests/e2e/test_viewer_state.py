"""A mobile track's viewer state (liked, reposted, following, followed_by) read from the viewer's
cached sets — whom they like, repost and follow, and who follows them — on SQLite and
PostgreSQL: a known viewer reading a track someone else already read costs no statement (the
long tail's Zipf case), and every write that changes the state shows on the next read."""

from __future__ import annotations

from typing import Any

from app.foundation.db import count_statements
from tests.e2e.conftest import Harness
from tests.factories import make_track


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"OAuth {token}"}


async def _state(h: Harness, track: int, token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    r = await h.client.get(f"/mobile/tracks/{track}", headers=_auth(token))
    assert r.status_code == 200, r.text
    body = r.json()
    return body["viewer"], body["user"]["relation"]


async def test_a_known_viewer_reads_a_track_read_by_others_without_a_statement(
    harness: Harness,
) -> None:
    h = harness
    mobile, _ = await h.new_app("zipf-mobile", ("mobile",))
    owners = [await h.new_user(f"zipf-owner{i}", country="DE") for i in range(2)]
    viewer = await h.new_user("zipf-viewer", country="DE")
    other = await h.new_user("zipf-other", country="DE")
    db = h.services.deps.db
    first, popular = [await make_track(db, owner) for owner in owners]
    viewer_token, other_token = (
        await h.user_token(mobile, viewer),
        await h.user_token(mobile, other),
    )
    owner_token = await h.user_token(mobile, owners[1])
    follow = await h.client.post(f"/mobile/users/{viewer}/follow", headers=_auth(owner_token))
    assert follow.is_success
    await _state(h, first, viewer_token)  # (the viewer known: its token and its sets cached)
    await _state(h, popular, other_token)  # (the popular track and its owner cached)
    with count_statements() as n:
        state, relation = await _state(h, popular, viewer_token)
    # was 1: whether the owner follows the viewer, asked of the database per (owner, viewer)
    assert n[0] == 0
    assert state == {"liked": False, "reposted": False}
    assert relation == {"following": False, "followed_by": True}


async def test_every_change_of_the_viewer_state_shows_on_the_next_read(harness: Harness) -> None:
    h = harness
    mobile, _ = await h.new_app("state-mobile", ("mobile",))
    owner = await h.new_user("state-owner", country="DE")
    viewer = await h.new_user("state-viewer", country="DE")
    track = await make_track(h.services.deps.db, owner)
    token, owner_token = await h.user_token(mobile, viewer), await h.user_token(mobile, owner)
    steps = [
        (f"/mobile/tracks/{track}/like", "POST", token, ("liked", True)),
        (f"/mobile/tracks/{track}/repost", "POST", token, ("reposted", True)),
        (f"/mobile/users/{owner}/follow", "POST", token, ("following", True)),
        (f"/mobile/users/{viewer}/follow", "POST", owner_token, ("followed_by", True)),
        (f"/mobile/users/{viewer}/follow", "DELETE", owner_token, ("followed_by", False)),
        (f"/mobile/users/{owner}/follow", "DELETE", token, ("following", False)),
        (f"/mobile/tracks/{track}/repost", "DELETE", token, ("reposted", False)),
        (f"/mobile/tracks/{track}/like", "DELETE", token, ("liked", False)),
    ]
    expected = {"liked": False, "reposted": False, "following": False, "followed_by": False}
    for path, method, who, (name, value) in steps:
        state, relation = await _state(h, track, token)  # (everything cached before the write)
        assert {**state, **relation} == expected
        r = await h.client.request(method, path, headers=_auth(who))
        assert r.is_success, (path, method, r.text)
        expected[name] = value
        state, relation = await _state(h, track, token)
        assert {**state, **relation} == expected, (path, method)
