"""The write side of Identity: accounts, apps and partner grants, tokens, authorization codes,
player credentials."""

from app.value_added.identity.commands.accounts import PasswordCost, Passwords, UserAccounts
from app.value_added.identity.commands.apps import AppRegistry
from app.value_added.identity.commands.codes import CODE_TTL, AuthorizationCodes
from app.value_added.identity.commands.issuer import ACCESS_TTL, REFRESH_TTL, OnRevoke, TokenIssuer
from app.value_added.identity.commands.players import PlayerCredentialCommands
from app.value_added.identity.commands.suspension import AccountSuspension, AppRevocation
from app.value_added.identity.commands.tokens import TokenGrants

__all__ = [
    "ACCESS_TTL",
    "CODE_TTL",
    "REFRESH_TTL",
    "AccountSuspension",
    "AppRegistry",
    "AppRevocation",
    "AuthorizationCodes",
    "OnRevoke",
    "PasswordCost",
    "Passwords",
    "PlayerCredentialCommands",
    "TokenGrants",
    "TokenIssuer",
    "UserAccounts",
]
