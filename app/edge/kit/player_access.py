"""The signed-in user's player credentials (Subsonic API keys, player password): the same routes
in every BFF that offers them (mobile, web), so the rules are written once.

Minting a credential that does not expire needs the account password again (a stolen access
token alone cannot turn into a permanent key); those confirmations are rate-limited per user.
"""

from __future__ import annotations

import datetime as dt

import msgspec
from litestar import delete, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from app.edge.kit.auth import signed_in_user
from app.edge.kit.bounds import PathId
from app.edge.kit.context import EdgeContext
from app.edge.kit.errors import EdgeError
from app.edge.kit.ratelimit import attempts_exceeded
from app.edge.kit.routes import USER_READ, WRITE
from app.value_added.access import Viewer
from app.value_added.common.errors import Unauthenticated
from app.value_added.common.fieldmask import FieldMask
from app.value_added.identity import ApiKeyCreated, ApiKeyInfo, PlayerPasswordCreated

CONFIRM_WINDOW = 300
CONFIRMS_PER_USER = 10
"""Account-password confirmations per user per 5 minutes (they are password guesses too)."""


class NewApiKey(msgspec.Struct, frozen=True):
    password: str
    """The account password, confirming that the account holder asks."""
    name: str = "music player"
    """What the key is for (1-100 characters), to recognise it when revoking."""


class Confirmation(msgspec.Struct, frozen=True):
    password: str
    """The account password, confirming that the account holder asks."""


class PlayerPasswordState(msgspec.Struct, frozen=True):
    exists: bool
    created_at: dt.datetime | None


async def _confirmed(edge: EdgeContext, viewer: Viewer, password: str) -> int:
    """The signed-in user's id once `password` is their account password."""
    user_id = signed_in_user(viewer)
    wait = await attempts_exceeded(
        edge.limits, f"confirm:user:{user_id}", CONFIRMS_PER_USER, CONFIRM_WINDOW
    )
    if wait is not None:
        raise EdgeError(
            429,
            "too_many_attempts",
            f"too many password confirmations; retry in {wait} s",
            headers={"Retry-After": str(wait)},
        )
    services = edge.services
    user = await services.users.get(viewer, user_id, FieldMask(["username"]))
    try:
        confirmed = await services.identity.authenticate(str(user.username), password)
    except Unauthenticated:
        confirmed = None
    if confirmed != user_id:
        raise EdgeError(403, "wrong_password", "the account password is not correct")
    return user_id


@get(
    "/me/api-keys",
    summary="The signed-in user's API keys for music players (never the keys)",
    opt=USER_READ,
)
async def list_api_keys(
    viewer: NamedDependency[Viewer], edge: NamedDependency[EdgeContext]
) -> list[ApiKeyInfo]:
    return await edge.services.identity.api_keys(signed_in_user(viewer))


@post(
    "/me/api-keys",
    status_code=201,
    summary="Create an API key for a music player (shown once)",
    opt=WRITE,
)
async def create_api_key(
    data: JSONBody[NewApiKey], viewer: NamedDependency[Viewer], edge: NamedDependency[EdgeContext]
) -> ApiKeyCreated:
    user_id = await _confirmed(edge, viewer, data.password)
    return await edge.services.identity.create_api_key(user_id, data.name)


@delete(
    "/me/api-keys/{key_id:int}",
    summary="Revoke an API key (players using it stop at once)",
    opt=WRITE,
)
async def revoke_api_key(
    key_id: PathId, viewer: NamedDependency[Viewer], edge: NamedDependency[EdgeContext]
) -> None:
    await edge.services.identity.revoke_api_key(signed_in_user(viewer), key_id)


@get(
    "/me/player-password", summary="Whether the signed-in user has a player password", opt=USER_READ
)
async def player_password_state(
    viewer: NamedDependency[Viewer], edge: NamedDependency[EdgeContext]
) -> PlayerPasswordState:
    identity = edge.services.identity
    created_at = await identity.player_password_created_at(signed_in_user(viewer))
    return PlayerPasswordState(exists=created_at is not None, created_at=created_at)


@post(
    "/me/player-password",
    status_code=201,
    summary="Generate a new player password (replaces the old one; shown once)",
    opt=WRITE,
)
async def create_player_password(
    data: JSONBody[Confirmation],
    viewer: NamedDependency[Viewer],
    edge: NamedDependency[EdgeContext],
) -> PlayerPasswordCreated:
    user_id = await _confirmed(edge, viewer, data.password)
    return await edge.services.identity.create_player_password(user_id)


@delete(
    "/me/player-password", summary="Remove the player password (players using it stop)", opt=WRITE
)
async def revoke_player_password(
    viewer: NamedDependency[Viewer], edge: NamedDependency[EdgeContext]
) -> None:
    await edge.services.identity.revoke_player_password(signed_in_user(viewer))


ROUTES = [
    list_api_keys,
    create_api_key,
    revoke_api_key,
    player_password_state,
    create_player_password,
    revoke_player_password,
]
