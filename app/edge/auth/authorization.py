"""The authorization request once its client and redirect_uri are checked, and its responses.

An unknown client or an unregistered redirect_uri is shown to the user as an HTML error page
and never redirected (RFC 6749 §4.1.2.1); every later error goes back to the client.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

import msgspec
from litestar import MediaType, Response

from app.edge.auth import pages
from app.value_added.common.errors import InvalidArgument
from app.value_added.identity import AppInfo, IdentityService, rules

PARAMS = (
    "response_type",
    "client_id",
    "redirect_uri",
    "state",
    "code_challenge",
    "code_challenge_method",
    "scope",
)


class Authorization(msgspec.Struct, frozen=True):
    """A request whose client and redirect_uri are known good: errors may now redirect."""

    app: AppInfo
    redirect_uri: str
    params: dict[str, str]

    @property
    def bound(self) -> list[str]:
        return [self.params.get(name, "") for name in PARAMS]

    def redirect(self, **values: str) -> Response[bytes]:
        """303 to the client's redirect_uri with these values and the request's state."""
        if "state" in self.params:
            values["state"] = self.params["state"]
        parts = urlsplit(self.redirect_uri)
        query = "&".join(q for q in (parts.query, urlencode(values)) if q)
        location = urlunsplit(parts._replace(query=query))
        return Response(
            b"",
            status_code=303,
            media_type=MediaType.TEXT,
            headers={"Location": location, "Cache-Control": "no-store"},
        )


def html(body: str, status: int, redirect_uri: str | None = None) -> Response[str]:
    headers = {
        "Content-Security-Policy": pages.content_security_policy(redirect_uri),
        "Cache-Control": "no-store",
        "Pragma": "no-cache",
    }
    return Response(body, status_code=status, media_type=MediaType.HTML, headers=headers)


def refuse(message: str) -> Response[str]:
    return html(pages.error_page("This sign-in link is not valid", message), 400)


async def check_client(
    identity: IdentityService, params: dict[str, str]
) -> Authorization | Response[str]:
    """The checked request, or the error page when the client or redirect_uri is bad."""
    client_id = params.get("client_id")
    app = await identity.app_by_client_id(client_id) if client_id else None
    if app is None:
        return refuse("The application asking for access is unknown (client_id).")
    # Matched exactly (RFC 6749 §3.1.2.3, OAuth 2.1 §4.1.1): never by prefix or pattern.
    redirect_uri = params.get("redirect_uri")
    if redirect_uri is None or redirect_uri not in app.redirect_uris:
        return refuse("The redirect_uri is not registered for this application.")
    return Authorization(app=app, redirect_uri=redirect_uri, params=params)


def protocol_error(auth: Authorization) -> Response[bytes] | None:
    """Redirect with an error for a request the client got wrong (PKCE S256 is required)."""
    params = auth.params
    if params.get("response_type") != "code":
        return auth.redirect(error="unsupported_response_type", error_description="use code")
    if "code_challenge" not in params:
        return auth.redirect(error="invalid_request", error_description="PKCE is required")
    if params.get("code_challenge_method") != "S256":
        return auth.redirect(
            error="invalid_request", error_description="code_challenge_method must be S256"
        )
    return None


def granted_scopes(auth: Authorization) -> list[str] | None:
    requested = auth.params["scope"].split() if "scope" in auth.params else None
    try:
        return rules.scopes(requested, auth.app.entitlements).split()
    except InvalidArgument:
        return None
