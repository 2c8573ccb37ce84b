"""Input rules of the Users VAS."""

from __future__ import annotations

from app.value_added.common.errors import PermissionDenied


def follow_target(me: int, user_id: int) -> None:
    """Nobody follows themselves: a well-formed request that no user may make."""
    if me == user_id:
        raise PermissionDenied("you cannot follow yourself", reason="self_follow", field="user_id")
