"""Users to their mobile cards."""

from __future__ import annotations

from typing import Any

from app.edge.mobile import representations as rep
from app.edge.mobile.mappers.common import ArtworkUrl, artwork_url, copy_set, part
from app.value_added.users import User

_USER_FIELDS = (
    "username",
    "permalink",
    "full_name",
    "first_name",
    "last_name",
    "description",
    "city",
    "country",
    "plan",
    "website",
    "website_title",
    "created_at",
)


def user_fields(user: User, artwork: ArtworkUrl, signed_in: bool) -> dict[str, Any]:
    fields = copy_set(user, _USER_FIELDS)
    fields["avatar_url"] = artwork_url(user.avatar_key, artwork)
    fields["counts"] = part(user.stats, rep.UserCounts)
    if signed_in:
        fields["relation"] = part(user.viewer, rep.UserRelation)
    return fields


def user_card(user: User, artwork: ArtworkUrl, signed_in: bool) -> rep.UserCard:
    return rep.UserCard(id=user.id, **user_fields(user, artwork, signed_in))
