"""Shared pieces of every mobile representation: the base and the engagement states."""

from __future__ import annotations

import msgspec


class Rep(msgspec.Struct):
    """Base of every mobile representation."""


class EngagementState(Rep):
    """What the signed-in user did to this track or playlist."""

    liked: bool
    reposted: bool


class LikeState(Rep):
    liked: bool
    likes_count: int


class RepostState(Rep):
    reposted: bool
    reposts_count: int


class FollowState(Rep):
    following: bool
    followers_count: int


class PlayCount(Rep):
    plays_count: int
