"""The Identity VAS: users, apps, tokens, authorization codes, partner grants, principals."""

from __future__ import annotations

from app.value_added.identity.apps import AppRegistry
from app.value_added.identity.codes import AuthorizationCodes
from app.value_added.identity.principal import Principals
from app.value_added.identity.tokens import TokenGrants
from app.value_added.identity.users import UserAccounts


class IdentityService(UserAccounts, AppRegistry, TokenGrants, AuthorizationCodes, Principals):
    """One object the edge kit, the OAuth server and the CLI hold for identity.

    `IdentityService(deps, on_revoke=None)`: `on_revoke(hashes)` is awaited after every
    revocation with the access-token hashes revoked, so a later Redis pub/sub can tell other
    processes to call `invalidate(hashes)`.
    """
