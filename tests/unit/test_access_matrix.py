"""Table-driven matrix for the access policy, checked against a literal oracle of the
authorization model in docs/architecture.md."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.foundation.playlists.records import PlaylistRecord
from app.foundation.policies.records import TrackPolicyRecord
from app.value_added.access import (
    Viewer,
    can_comment,
    can_delete_comment,
    can_download,
    can_edit_playlist,
    can_edit_track,
    can_stream,
    has_plan,
    playlist_visible,
    require_acting_for,
    require_comment_delete,
    require_managed_catalog,
    require_playlist_change,
    require_reachable,
    require_track_change,
    track_access,
    track_visible,
)
from app.value_added.common.errors import NotFound, PermissionDenied

NOW = dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.UTC)
OWNER = 7
OTHER = 8
APP = 42
TOKEN = "s-Correct-Token"

VIEWER_KINDS = ["owner", "other_user", "anonymous", "managing_app", "unrelated_app"]
SHARINGS = ["public", "private_no_token", "private_right_token", "private_wrong_token"]
TERRITORIES = ["unrestricted", "allowed", "blocked", "viewer_unknown"]
PLANS = ["free", "premium"]
MONETIZATIONS = ["none", "premium"]


def make_policy(**overrides: Any) -> TrackPolicyRecord:
    fields: dict[str, Any] = {
        "track_id": 1,
        "sharing": "public",
        "secret_token": TOKEN,
        "release_at": None,
        "territories": None,
        "streamable": True,
        "downloadable": True,
        "commentable": True,
        "monetization": "none",
        "taken_down_at": None,
        "takedown_reason": "",
        "updated_at": NOW,
    }
    fields.update(overrides)
    return TrackPolicyRecord(**fields)


def make_viewer(kind: str, territory: str | None, plan: str) -> Viewer:
    if kind == "owner":
        return Viewer(user_id=OWNER, app_id=1, territory=territory, plan=plan)
    if kind == "other_user":
        return Viewer(user_id=OTHER, app_id=1, territory=territory, plan=plan)
    if kind == "anonymous":
        return Viewer.anonymous(app_id=1, territory=territory)
    if kind == "managing_app":
        return Viewer(None, APP, territory, plan, managed_user_ids=frozenset({OWNER, 99}))
    return Viewer(None, APP, territory, plan, managed_user_ids=frozenset({99}))


def build_case(
    kind: str, sharing: str, released: bool, territory: str, plan: str, down: bool, money: str
) -> tuple[Viewer, TrackPolicyRecord, str | None]:
    territory_setup = {
        "unrestricted": (None, "DE"),
        "allowed": (["FR", "DE"], "DE"),
        "blocked": (["FR"], "DE"),
        "viewer_unknown": (["DE"], None),
    }
    allowed, viewer_territory = territory_setup[territory]
    token = {
        "public": None,
        "private_no_token": None,
        "private_right_token": TOKEN,
        "private_wrong_token": "s-wrong",
    }[sharing]
    policy = make_policy(
        sharing="public" if sharing == "public" else "private",
        release_at=NOW - dt.timedelta(days=1) if released else NOW + dt.timedelta(seconds=1),
        territories=allowed,
        monetization=money,
        taken_down_at=NOW - dt.timedelta(hours=1) if down else None,
        takedown_reason="dmca" if down else "",
    )
    return make_viewer(kind, viewer_territory, plan), policy, token


def oracle(
    kind: str, sharing: str, released: bool, territory: str, plan: str, down: bool, money: str
) -> tuple[bool, str, bool, bool]:
    """The authorization model (docs/architecture.md) restated literally, for a streamable,
    downloadable, commentable track."""
    owns = kind in ("owner", "managing_app")
    signed_in = kind in ("owner", "other_user")
    has_premium = signed_in and plan == "premium"

    if owns:
        visible = True
    elif sharing in ("public", "private_right_token"):
        visible = released and not down
    else:
        visible = False

    if owns:
        access = "playable"
    elif territory in ("blocked", "viewer_unknown"):
        access = "blocked"
    elif money == "premium" and not has_premium:
        access = "preview"
    else:
        access = "playable"

    downloadable = visible and (owns or access != "blocked")
    commentable = visible and signed_in and access != "blocked"
    return visible, access, downloadable, commentable


MATRIX = list(
    itertools.product(
        VIEWER_KINDS, SHARINGS, [True, False], TERRITORIES, PLANS, [False, True], MONETIZATIONS
    )
)


@pytest.mark.parametrize(
    ("kind", "sharing", "released", "territory", "plan", "down", "money"), MATRIX
)
def test_matrix(
    kind: str, sharing: str, released: bool, territory: str, plan: str, down: bool, money: str
) -> None:
    case = (kind, sharing, released, territory, plan, down, money)
    viewer, policy, token = build_case(*case)
    actual = (
        track_visible(viewer, OWNER, policy, NOW, token),
        track_access(viewer, OWNER, policy, NOW),
        can_download(viewer, OWNER, policy, NOW, token),
        can_comment(viewer, OWNER, policy, NOW, token),
    )
    assert actual == oracle(*case)


FLAG_MATRIX = list(itertools.product(VIEWER_KINDS, [True, False], [True, False], [True, False]))


@pytest.mark.parametrize(("kind", "streamable", "downloadable", "commentable"), FLAG_MATRIX)
def test_flag_matrix(kind: str, streamable: bool, downloadable: bool, commentable: bool) -> None:
    viewer = make_viewer(kind, "DE", "premium")
    policy = make_policy(streamable=streamable, downloadable=downloadable, commentable=commentable)
    owns = kind in ("owner", "managing_app")
    signed_in = kind in ("owner", "other_user")
    access = "playable" if owns or streamable else "blocked"
    assert track_access(viewer, OWNER, policy, NOW) == access
    assert can_download(viewer, OWNER, policy, NOW) == (
        owns or (downloadable and access != "blocked")
    )
    assert can_comment(viewer, OWNER, policy, NOW) == (
        signed_in and (commentable or owns) and access != "blocked"
    )
    assert can_stream(viewer, OWNER, policy, NOW, full=True) == (access == "playable")
    assert can_edit_track(viewer, OWNER) == owns


# --- hand-written cases for the subtle points -------------------------------------------------


def test_unknown_territory_is_blocked() -> None:
    policy = make_policy(territories=["DE", "FR"])
    viewer = Viewer(user_id=OTHER, app_id=1, territory=None, plan="premium")
    assert track_visible(viewer, OWNER, policy, NOW)
    assert track_access(viewer, OWNER, policy, NOW) == "blocked"
    assert not can_stream(viewer, OWNER, policy, NOW, full=False)


def test_empty_territory_list_blocks_everyone_but_owner() -> None:
    policy = make_policy(territories=[])
    assert track_access(make_viewer("other_user", "DE", "premium"), OWNER, policy, NOW) == (
        "blocked"
    )
    assert track_access(make_viewer("owner", None, "free"), OWNER, policy, NOW) == "playable"


def test_owner_sees_taken_down_and_unreleased() -> None:
    policy = make_policy(
        sharing="private", taken_down_at=NOW, release_at=NOW + dt.timedelta(days=30)
    )
    owner = Viewer(user_id=OWNER, app_id=1, territory=None, plan="free")
    assert track_visible(owner, OWNER, policy, NOW)
    assert track_access(owner, OWNER, policy, NOW) == "playable"
    assert can_download(owner, OWNER, policy, NOW)
    assert not track_visible(make_viewer("other_user", "DE", "free"), OWNER, policy, NOW, TOKEN)


def test_wrong_or_empty_secret_token_is_invisible() -> None:
    policy = make_policy(sharing="private")
    viewer = make_viewer("other_user", "DE", "free")
    assert not track_visible(viewer, OWNER, policy, NOW, "s-wrong")
    assert not track_visible(viewer, OWNER, policy, NOW, "")
    assert not track_visible(viewer, OWNER, policy, NOW, TOKEN.lower())
    assert not track_visible(
        viewer, OWNER, make_policy(sharing="private", secret_token=""), NOW, ""
    )
    assert not can_download(viewer, OWNER, policy, NOW, "s-wrong")
    assert track_visible(viewer, OWNER, policy, NOW, TOKEN)


def test_non_ascii_token_does_not_raise() -> None:
    policy = make_policy(sharing="private")
    assert not track_visible(make_viewer("anonymous", None, "free"), OWNER, policy, NOW, "s-ö")


def test_unknown_sharing_fails_closed() -> None:
    policy = make_policy(sharing="unlisted")
    assert not track_visible(make_viewer("other_user", "DE", "free"), OWNER, policy, NOW, TOKEN)


def test_release_time_exactly_now_is_released() -> None:
    viewer = make_viewer("anonymous", "DE", "free")
    assert track_visible(viewer, OWNER, make_policy(release_at=NOW), NOW)
    later = NOW + dt.timedelta(microseconds=1)
    assert not track_visible(viewer, OWNER, make_policy(release_at=later), NOW)


def test_release_time_in_another_zone_and_naive_is_compared_as_utc() -> None:
    viewer = make_viewer("anonymous", "DE", "free")
    cet = dt.timezone(dt.timedelta(hours=2))
    assert track_visible(viewer, OWNER, make_policy(release_at=NOW.astimezone(cet)), NOW)
    naive_future = (NOW + dt.timedelta(minutes=1)).replace(tzinfo=None)
    assert not track_visible(viewer, OWNER, make_policy(release_at=naive_future), NOW)


def test_premium_viewer_plays_premium_track_in_allowed_territory() -> None:
    policy = make_policy(monetization="premium", territories=["DE"])
    premium = Viewer(user_id=OTHER, app_id=1, territory="DE", plan="premium")
    free = Viewer(user_id=OTHER, app_id=1, territory="DE", plan="free")
    assert track_access(premium, OWNER, policy, NOW) == "playable"
    assert can_stream(premium, OWNER, policy, NOW, full=True)
    assert track_access(free, OWNER, policy, NOW) == "preview"
    assert not can_stream(free, OWNER, policy, NOW, full=True)
    assert can_stream(free, OWNER, policy, NOW, full=False)


def test_anonymous_never_has_premium() -> None:
    ghost = Viewer(user_id=None, app_id=1, territory="DE", plan="premium")
    assert not has_plan(ghost, "premium")
    assert has_plan(ghost, "free")
    assert not has_plan(make_viewer("other_user", "DE", "premium"), "platinum")
    assert track_access(ghost, OWNER, make_policy(monetization="premium"), NOW) == "preview"


def test_other_monetizations_are_free_to_all() -> None:
    viewer = make_viewer("anonymous", "DE", "free")
    for kind in ("none", "ad", "blackbox"):
        assert track_access(viewer, OWNER, make_policy(monetization=kind), NOW) == "playable"


def test_viewer_helpers() -> None:
    anon = Viewer.anonymous(territory="SE")
    assert anon.is_anonymous and anon.plan == "free" and anon.app_id is None
    assert not anon.acts_for(OWNER)
    assert make_viewer("owner", None, "free").acts_for(OWNER)
    assert make_viewer("managing_app", None, "free").acts_for(OWNER)
    assert not make_viewer("unrelated_app", None, "free").acts_for(OWNER)
    no_app = Viewer(None, None, None, "free", managed_user_ids=frozenset({OWNER}))
    assert not no_app.acts_for(OWNER)
    assert not can_edit_track(no_app, OWNER)
    assert not can_edit_track(anon, OWNER)


def make_playlist(sharing: str, user_id: int = OWNER) -> PlaylistRecord:
    return PlaylistRecord(
        id=1,
        user_id=user_id,
        title="t",
        permalink="t",
        description="",
        set_type="playlist",
        sharing=sharing,
        secret_token=TOKEN,
        genre="",
        tag_list="",
        label_name="",
        release_date=None,
        artwork_key=None,
        version=1,
        created_at=NOW,
        updated_at=NOW,
    )


@pytest.mark.parametrize("kind", VIEWER_KINDS)
@pytest.mark.parametrize("sharing", SHARINGS)
def test_playlist_matrix(kind: str, sharing: str) -> None:
    viewer = make_viewer(kind, "DE", "free")
    token = {"private_right_token": TOKEN, "private_wrong_token": "nope"}.get(sharing)
    playlist = make_playlist("public" if sharing == "public" else "private")
    owns = kind in ("owner", "managing_app")
    expected = owns or sharing in ("public", "private_right_token")
    assert playlist_visible(viewer, playlist, token) == expected
    assert can_edit_playlist(viewer, playlist) == owns


# --- who may delete a comment ------------------------------------------------------------------

AUTHORS = ["the_viewer", "the_owner", "a_stranger"]


@pytest.mark.parametrize("kind", VIEWER_KINDS)
@pytest.mark.parametrize("author", AUTHORS)
def test_comment_delete_matrix(kind: str, author: str) -> None:
    """The signed-in author, or whoever may edit the track (owner, managing app)."""
    viewer = make_viewer(kind, "DE", "free")
    author_id = {"the_viewer": viewer.user_id or 55, "the_owner": OWNER, "a_stranger": 55}[author]
    owns = kind in ("owner", "managing_app")
    wrote_it = kind in ("owner", "other_user") and author == "the_viewer"
    assert can_delete_comment(viewer, author_id, OWNER) == (owns or wrote_it)


# --- decisions turned into errors: hidden is missing, visible is forbidden ----------------------


def outcome(check: Callable[[], object]) -> str:
    """'ok', or the error a caller would see, with its message (which must not tell hidden
    from missing)."""
    try:
        check()
    except NotFound as e:
        return f"missing: {e.message}"
    except PermissionDenied as e:
        return f"forbidden: {e.reason}"
    return "ok"


@pytest.mark.parametrize("kind", VIEWER_KINDS)
@pytest.mark.parametrize("sharing", ["public", "private"])
def test_change_guards_matrix(kind: str, sharing: str) -> None:
    viewer = make_viewer(kind, "DE", "free")
    owns = kind in ("owner", "managing_app")
    expected = "ok" if owns else "forbidden: not_owner" if sharing == "public" else None
    policy = make_policy(sharing=sharing)
    playlist = make_playlist(sharing)
    track = outcome(lambda: require_track_change(viewer, OWNER, policy, NOW))
    lists = outcome(lambda: require_playlist_change(viewer, playlist))
    assert track == (expected or "missing: track not found")
    assert lists == (expected or "missing: playlist not found")


@pytest.mark.parametrize("kind", VIEWER_KINDS)
@pytest.mark.parametrize("author", AUTHORS)
@pytest.mark.parametrize("sharing", ["public", "private"])
def test_comment_delete_guard_matrix(kind: str, author: str, sharing: str) -> None:
    viewer = make_viewer(kind, "DE", "free")
    author_id = {"the_viewer": viewer.user_id or 55, "the_owner": OWNER, "a_stranger": 55}[author]
    policy = make_policy(sharing=sharing)
    got = outcome(lambda: require_comment_delete(viewer, author_id, OWNER, policy, NOW))
    if not track_visible(viewer, OWNER, policy, NOW):
        assert got == "missing: comment not found"  # a comment on a hidden track is missing
    elif can_delete_comment(viewer, author_id, OWNER):
        assert got == "ok"
    else:
        assert got == "forbidden: not_author_or_owner"


@pytest.mark.parametrize("kind", VIEWER_KINDS)
def test_catalog_guards_matrix(kind: str) -> None:
    viewer = make_viewer(kind, "DE", "free")
    owns = kind in ("owner", "managing_app")
    acting = outcome(lambda: require_acting_for(viewer, OWNER))
    managed = outcome(lambda: require_managed_catalog(viewer, OWNER))
    assert acting == ("ok" if owns else "forbidden: not_owner_or_manager")
    assert managed == ("ok" if owns else "missing: user not found")


@pytest.mark.parametrize(("territory", "expected"), [("DE", "playable"), ("FR", None)])
def test_require_reachable(territory: str, expected: str | None) -> None:
    policy = make_policy(territories=["DE"])
    viewer = make_viewer("other_user", territory, "free")
    if expected is None:
        with pytest.raises(PermissionDenied) as blocked:
            require_reachable(viewer, OWNER, policy, NOW)
        assert blocked.value.reason == "blocked"
    else:
        assert require_reachable(viewer, OWNER, policy, NOW) == expected


# --- properties ---------------------------------------------------------------------------------

moments = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC)
)
territory_codes = st.sampled_from(["DE", "FR", "US", "SE"])
policies = st.builds(
    TrackPolicyRecord,
    track_id=st.integers(1, 10),
    sharing=st.sampled_from(["public", "private", "weird"]),
    secret_token=st.sampled_from(["", TOKEN, "s-other"]),
    release_at=st.none() | moments,
    territories=st.none() | st.lists(territory_codes, max_size=3),
    streamable=st.booleans(),
    downloadable=st.booleans(),
    commentable=st.booleans(),
    monetization=st.sampled_from(["none", "premium", "ad", "blackbox"]),
    taken_down_at=st.none() | moments,
    takedown_reason=st.just(""),
    updated_at=moments,
)
viewers = st.builds(
    Viewer,
    user_id=st.none() | st.integers(1, 4),
    app_id=st.none() | st.integers(1, 3),
    territory=st.none() | territory_codes,
    plan=st.sampled_from(["free", "premium", "gold"]),
    managed_user_ids=st.frozensets(st.integers(1, 4), max_size=3),
)
tokens = st.none() | st.sampled_from(["", TOKEN, "s-other"]) | st.text(max_size=8)


@given(viewer=viewers, owner_id=st.integers(1, 4), policy=policies, now=moments, token=tokens)
def test_invisible_implies_no_download_or_comment_and_deterministic(
    viewer: Viewer, owner_id: int, policy: TrackPolicyRecord, now: dt.datetime, token: str | None
) -> None:
    def decide() -> tuple[object, ...]:
        return (
            track_visible(viewer, owner_id, policy, now, token),
            track_access(viewer, owner_id, policy, now),
            can_stream(viewer, owner_id, policy, now, True, token),
            can_stream(viewer, owner_id, policy, now, False, token),
            can_download(viewer, owner_id, policy, now, token),
            can_comment(viewer, owner_id, policy, now, token),
            can_edit_track(viewer, owner_id),
        )

    first = decide()
    assert decide() == first
    visible, access, full, preview, download, comment, _ = first
    assert access in ("playable", "preview", "blocked")
    if not visible:
        assert not (full or preview or download or comment)
    if full:
        assert preview
