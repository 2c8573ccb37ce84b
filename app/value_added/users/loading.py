"""Assemble User aggregates from foundation records, with only the parts the mask asks for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from app.foundation.counters.records import UserCounts, as_of
from app.foundation.unit_of_work import UnitOfWork
from app.foundation.users.records import UserRecord
from app.value_added import access
from app.value_added.access import Viewer
from app.value_added.common.fieldmask import FieldMask
from app.value_added.users.aggregates import METADATA_FIELDS, User, UserStats, UserViewerState


async def assemble(
    uow: UnitOfWork,
    viewer: Viewer,
    now: dt.datetime,
    records: Sequence[UserRecord],
    mask: FieldMask,
) -> list[User]:
    if not records:
        return []
    ids = [r.id for r in records]
    stats: dict[int, UserStats] = {}
    if mask.wants("stats"):
        for c in await uow.counters.user_counts(ids):
            stats[c.user_id] = stats_for(viewer, as_of(c, now))
    following: set[int] = set()
    followed_by: set[int] = set()
    others = [i for i in ids if i != viewer.user_id]  # (nobody follows themselves)
    if mask.wants("viewer") and viewer.user_id is not None and others:
        following, followed_by = await uow.social.follows.both_ways(viewer.user_id, others)
    wanted = [f for f in METADATA_FIELDS if mask.wants(f)]
    result = []
    for r in records:
        parts: dict[str, Any] = {}
        for f in wanted:
            parts[f] = _full_name(r) if f == "full_name" else getattr(r, f)
        if mask.wants("stats"):
            parts["stats"] = stats[r.id]
        if mask.wants("viewer"):
            parts["viewer"] = UserViewerState(r.id in following, r.id in followed_by)
        result.append(User(id=r.id, **parts))
    return result


def _full_name(r: UserRecord) -> str:
    return " ".join(p for p in (r.first_name, r.last_name) if p)


def stats_for(viewer: Viewer, c: UserCounts) -> UserStats:
    """The counts of the user's lists as the viewer can list them: the user's own (their hidden
    tracks and private playlists counted, and how many are private) for whoever acts for them,
    what everyone lists for anyone else."""
    if access.sees_owner_counts(viewer, c.user_id):
        return UserStats(
            c.followers,
            c.followings,
            c.tracks,
            c.playlists,
            c.likes,
            c.playlist_likes,
            c.reposts,
            c.comments,
            private_tracks=c.private_tracks,
            private_playlists=c.playlists - c.public_playlists,
        )
    return UserStats(
        c.followers,
        c.followings,
        c.public_tracks,
        c.public_playlists,
        c.public_likes,
        c.public_playlist_likes,
        c.public_reposts,
        c.public_comments,
    )
