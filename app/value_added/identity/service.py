"""The Identity VAS: users, apps, tokens, authorization codes, partner grants, principals."""

from __future__ import annotations

from app.value_added.common.deps import Deps
from app.value_added.identity.apps import AppRegistry
from app.value_added.identity.cache import PrincipalCache
from app.value_added.identity.codes import AuthorizationCodes
from app.value_added.identity.core import OnRevoke
from app.value_added.identity.hashing import Passwords
from app.value_added.identity.player_credentials import PlayerCredentials
from app.value_added.identity.principal import Principals
from app.value_added.identity.tokens import TokenGrants
from app.value_added.identity.users import UserAccounts


class IdentityService(UserAccounts, AppRegistry, TokenGrants, AuthorizationCodes, Principals):
    """One object the edge kit, the OAuth server and the CLI hold for identity.

    `IdentityService(deps, on_revoke=None)`: `on_revoke(hashes)` is awaited after every
    revocation with the access-token hashes revoked, so a later Redis pub/sub can tell other
    processes to call `invalidate(hashes)`. `players` holds the player credentials (Subsonic
    API keys and player passwords).
    """

    def __init__(
        self,
        deps: Deps,
        on_revoke: OnRevoke | None = None,
        *,
        passwords: Passwords | None = None,
        cache: PrincipalCache | None = None,
    ) -> None:
        super().__init__(deps, on_revoke, passwords=passwords, cache=cache)
        self.players = PlayerCredentials(deps)
