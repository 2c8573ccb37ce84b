"""Client authentication at the token endpoint: HTTP Basic or form fields (RFC 6749 §2.3.1)."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import unquote_plus

from app.edge.auth.errors import from_service, oauth_error
from app.value_added.common.errors import Unauthenticated
from app.value_added.identity import AppInfo, IdentityService


def basic_credentials(authorization: str | None) -> tuple[str, str] | None:
    """(client_id, client_secret) from `Authorization: Basic`, None without a Basic header.

    Both parts are form-urlencoded before base64 (RFC 6749 §2.3.1), so they are decoded here.
    """
    if not authorization:
        return None
    scheme, _, encoded = authorization.strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise oauth_error("invalid_client", "malformed Basic credentials") from None
    client_id, sep, secret = decoded.partition(":")
    if not sep or not client_id:
        raise oauth_error("invalid_client", "malformed Basic credentials")
    return unquote_plus(client_id), unquote_plus(secret)


async def authenticate_client(
    identity: IdentityService,
    authorization: str | None,
    params: dict[str, str],
    *,
    allow_public: bool,
) -> AppInfo:
    """The authenticated app; `allow_public` accepts a bare client_id (PKCE-bound grants)."""
    basic = basic_credentials(authorization)
    form_id, form_secret = params.get("client_id"), params.get("client_secret")
    secret: str | None
    if basic is not None:
        if form_secret is not None:
            raise oauth_error("invalid_request", "use one client authentication method, not two")
        if form_id is not None and form_id != basic[0]:
            raise oauth_error("invalid_client", "client_id does not match the credentials")
        client_id, secret = basic
    elif form_id is not None:
        client_id, secret = form_id, form_secret
    else:
        raise oauth_error("invalid_client", "client authentication is required")
    if secret is not None:
        try:
            return await identity.verify_client(client_id, secret)
        except Unauthenticated as exc:
            raise from_service(exc) from exc
    if not allow_public:
        raise oauth_error("invalid_client", "this grant needs the client secret")
    app = await identity.app_by_client_id(client_id)
    if app is None:
        raise oauth_error("invalid_client", "client authentication failed")
    return app
