"""Identity VAS: accounts and sign-in, client apps, OAuth tokens and codes, partner grants,
player credentials (Subsonic API keys and player passwords)."""

from app.value_added.identity.aggregates import (
    ApiKeyCreated,
    ApiKeyInfo,
    AppCreated,
    AppInfo,
    Listener,
    PlayerPasswordCreated,
    Principal,
    TokenPair,
    UserCreated,
)
from app.value_added.identity.cache import PrincipalCache
from app.value_added.identity.codes import CODE_TTL
from app.value_added.identity.core import ACCESS_TTL, REFRESH_TTL, OnRevoke
from app.value_added.identity.hashing import Passwords
from app.value_added.identity.player_credentials import PlayerCredentials, subsonic_token
from app.value_added.identity.rules import BFFS, DEFAULT_ENTITLEMENTS, ENTITLEMENTS, PLANS
from app.value_added.identity.service import IdentityService

__all__ = [
    "ACCESS_TTL",
    "BFFS",
    "CODE_TTL",
    "DEFAULT_ENTITLEMENTS",
    "ENTITLEMENTS",
    "PLANS",
    "REFRESH_TTL",
    "ApiKeyCreated",
    "ApiKeyInfo",
    "AppCreated",
    "AppInfo",
    "IdentityService",
    "Listener",
    "OnRevoke",
    "Passwords",
    "PlayerCredentials",
    "PlayerPasswordCreated",
    "Principal",
    "PrincipalCache",
    "TokenPair",
    "UserCreated",
    "subsonic_token",
]
