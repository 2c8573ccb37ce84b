"""The Identity VAS: users, apps, tokens, authorization codes, partner grants, principals,
player credentials."""

from __future__ import annotations

from app.value_added.common.deps import Deps
from app.value_added.identity.commands import (
    AccountSuspension,
    AppRegistry,
    AppRevocation,
    AuthorizationCodes,
    OnRevoke,
    Passwords,
    PlayerCredentialCommands,
    TokenGrants,
    TokenIssuer,
    UserAccounts,
)
from app.value_added.identity.queries import (
    AppLookups,
    PlayerCredentialQueries,
    PrincipalCache,
    Principals,
)


class IdentityService:
    """One object the edge kit, the OAuth server and the CLI hold for identity.

    `on_revoke(hashes)` is awaited after every revocation with the access-token hashes revoked,
    so a Redis pub/sub can tell other processes to call `invalidate(hashes)`.
    """

    def __init__(
        self,
        deps: Deps,
        on_revoke: OnRevoke | None = None,
        *,
        passwords: Passwords | None = None,
        cache: PrincipalCache | None = None,
    ) -> None:
        if cache is None:
            cache = PrincipalCache(max_bytes=deps.db.cache.budget.principals)
        principals = cache
        issuer = TokenIssuer(deps, principals, on_revoke)
        accounts = UserAccounts(deps, passwords or Passwords())
        apps = AppRegistry(deps, principals)
        lookups = AppLookups(deps)
        tokens = TokenGrants(deps, issuer)
        codes = AuthorizationCodes(deps, issuer)
        # accounts
        self.create_user = accounts.create_user
        self.authenticate = accounts.authenticate
        suspension = AccountSuspension(deps, issuer)
        self.disable_user = suspension.disable_user
        self.enable_user = suspension.enable_user
        # apps and partner grants
        self.create_app = apps.create_app
        self.grant_partner = apps.grant_partner
        self.revoke_partner = apps.revoke_partner
        revocation = AppRevocation(deps, issuer, principals)
        self.revoke_app = revocation.revoke_app
        self.enable_app = revocation.enable_app
        self.verify_client = lookups.verify_client
        self.app_by_client_id = lookups.app_by_client_id
        self.app_by_id = lookups.app_by_id
        # tokens and codes
        self.issue_client_credentials = tokens.issue_client_credentials
        self.issue_for_user = tokens.issue_for_user
        self.refresh = tokens.refresh
        self.revoke = tokens.revoke
        self.create_code = codes.create_code
        self.exchange_code = codes.exchange_code
        # principals
        self.principal = Principals(deps, principals).principal
        self.invalidate = issuer.invalidate
        self.forget_principals = principals.clear  # (the revocation bus was lost or regained)
        # music players' credentials (Subsonic API keys and player passwords)
        player_commands = PlayerCredentialCommands(deps)
        players = PlayerCredentialQueries(deps)
        self.user_id_of = players.user_id_of
        self.api_keys = players.api_keys
        self.create_api_key = player_commands.create_api_key
        self.revoke_api_key = player_commands.revoke_api_key
        self.player_password_created_at = players.player_password_created_at
        self.create_player_password = player_commands.create_player_password
        self.revoke_player_password = player_commands.revoke_player_password
        self.player_by_api_key = players.player_by_api_key
        self.player_by_token = players.player_by_token
        self.player_by_password = players.player_by_password
