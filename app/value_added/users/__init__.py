"""Users VAS: profile aggregates with counts, follows, social lists and web profiles."""

from app.value_added.users.aggregates import (
    USER_PATHS,
    FollowResult,
    User,
    UserStats,
    UserViewerState,
    WebProfile,
)
from app.value_added.users.service import UsersService

__all__ = [
    "USER_PATHS",
    "FollowResult",
    "User",
    "UserStats",
    "UserViewerState",
    "UsersService",
    "WebProfile",
]
