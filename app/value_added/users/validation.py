"""Input rules of the Users VAS."""

from __future__ import annotations

from app.value_added.common.errors import InvalidArgument


def follow_target(me: int, user_id: int) -> None:
    """Nobody follows themselves."""
    if me == user_id:
        raise InvalidArgument("you cannot follow yourself", reason="self_follow", field="user_id")
