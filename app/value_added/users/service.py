"""The Users VAS: profiles with counts, follows, social lists and web profiles."""

from __future__ import annotations

from app.value_added.common.deps import Deps
from app.value_added.users.commands import FollowCommands
from app.value_added.users.queries import UserQueries


class UsersService:
    """One object a BFF holds for everything about users (accounts are Identity's)."""

    def __init__(self, deps: Deps) -> None:
        queries = UserQueries(deps)
        follows = FollowCommands(deps)
        self.get = queries.get
        self.get_many = queries.get_many
        self.resolve = queries.resolve
        self.search = queries.search
        self.followers = queries.followers
        self.followings = queries.followings
        self.related = queries.followings
        self.followed_at = queries.followed_at
        self.web_profiles = queries.web_profiles
        self.follow = follows.follow
        self.unfollow = follows.unfollow
