"""Identity VAS: accounts and sign-in, client apps, OAuth tokens and codes, partner grants,
player credentials (Subsonic API keys and player passwords)."""

from app.value_added.identity import validation
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
from app.value_added.identity.commands import (
    ACCESS_TTL,
    CODE_TTL,
    REFRESH_TTL,
    OnRevoke,
    PasswordCost,
    Passwords,
)
from app.value_added.identity.queries import PrincipalCache
from app.value_added.identity.service import IdentityService
from app.value_added.identity.validation import BFFS, DEFAULT_ENTITLEMENTS, ENTITLEMENTS, PLANS

rules = validation
"""The module's former name, which app/edge/auth still imports (`identity.rules.scopes`)."""

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
    "PasswordCost",
    "Passwords",
    "PlayerPasswordCreated",
    "Principal",
    "PrincipalCache",
    "TokenPair",
    "UserCreated",
    "rules",
    "validation",
]
