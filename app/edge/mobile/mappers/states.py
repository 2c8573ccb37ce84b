"""Results of idempotent commands (like, repost, follow) to the states the app shows."""

from __future__ import annotations

from app.edge.mobile import representations as rep
from app.value_added.tracks import Engagement
from app.value_added.users import FollowResult


def like_state(e: Engagement) -> rep.LikeState:
    return rep.LikeState(liked=e.active, likes_count=e.count)


def repost_state(e: Engagement) -> rep.RepostState:
    return rep.RepostState(reposted=e.active, reposts_count=e.count)


def follow_state(r: FollowResult) -> rep.FollowState:
    return rep.FollowState(following=r.following, followers_count=r.followers)
