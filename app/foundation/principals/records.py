"""Records returned by the principals foundation read: a token with its app, user and grants."""

from __future__ import annotations

import msgspec

from app.foundation.apps.records import AppRecord, TokenRecord
from app.foundation.users.records import UserRecord


class Credentials(msgspec.Struct, frozen=True):
    """An access token read with what its principal is made of, in one statement: its app
    (None when missing), its user (None for an app's own token, or when missing) and the users
    who granted the app management of their catalog (live grants)."""

    token: TokenRecord
    app: AppRecord | None
    user: UserRecord | None
    granted_user_ids: tuple[int, ...]
