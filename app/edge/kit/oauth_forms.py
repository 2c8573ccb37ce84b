"""What the OAuth endpoints take and answer, as the documents of both servers describe it: the
auth BFF's (/auth/oauth/token, /auth/authorize) and the public BFF's legacy SoundCloud ones
(/oauth2/token, /connect)."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIType, RequestBody, Schema

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


class TokenResponse(msgspec.Struct, frozen=True, omit_defaults=True):
    """A token endpoint's success body (RFC 6749 §5.1)."""

    access_token: str
    token_type: str
    expires_in: int
    scope: str
    refresh_token: str | None = None


class OAuthErrorBody(msgspec.Struct, frozen=True):
    """A token endpoint's refusal (RFC 6749 §5.2)."""

    error: Annotated[str, msgspec.Meta(description="RFC 6749 error code")]
    error_description: str


def text_field(description: str, *, required: bool = False) -> Schema:
    """A string parameter; an empty one counts as absent, so only a required one needs a
    character."""
    return Schema(
        type=OpenAPIType.STRING, min_length=1 if required else None, description=description
    )


def form_body(
    description: str, fields: dict[str, Schema], required: list[str], *, json: bool = True
) -> RequestBody:
    """A body sent form-encoded (or, where the endpoint reads JSON too, as a JSON object)."""
    schema = Schema(
        type=OpenAPIType.OBJECT,
        properties=dict(fields),
        required=required or None,
        additional_properties=Schema(type=OpenAPIType.STRING),  # other fields are ignored
    )
    content = {FORM: OpenAPIMediaType(schema=schema)}
    if json:
        content[JSON] = OpenAPIMediaType(schema=schema)
    return RequestBody(description=description, required=bool(required), content=content)


CLIENT_FIELDS = {
    "client_id": text_field("the app's client id (or HTTP Basic credentials)"),
    "client_secret": text_field("a confidential app's secret (or HTTP Basic credentials)"),
}
TOKEN_BODY = form_body(
    "The grant; the parameters each grant type needs (RFC 6749 §4.1.3, §4.4.2, §6).",
    {
        "grant_type": Schema(
            type=OpenAPIType.STRING,
            enum=["authorization_code", "client_credentials", "refresh_token"],
        ),
        **CLIENT_FIELDS,
        "code": text_field("authorization_code: the code the redirect brought"),
        "redirect_uri": text_field("authorization_code: the redirect_uri of the authorization"),
        "code_verifier": text_field("authorization_code: the PKCE verifier"),
        "refresh_token": text_field("refresh_token: the refresh token"),
        "scope": text_field("space-separated scopes, at most those granted"),
    },
    ["grant_type"],
)
AUTHORIZE_FIELDS = {
    "client_id": text_field("the app's client id", required=True),
    "redirect_uri": text_field("one of the app's registered redirect URIs, exactly", required=True),
    "response_type": text_field("`code` (anything else is redirected with an error)"),
    "state": Schema(type=OpenAPIType.STRING, description="returned to the client as sent"),
    "code_challenge": text_field("PKCE challenge (missing: redirected with an error)"),
    "code_challenge_method": text_field("`S256` (anything else is redirected with an error)"),
    "scope": text_field("space-separated scopes (beyond the app's: redirected with invalid_scope)"),
}
"""The authorization request's parameters (RFC 6749 §4.1.1, PKCE's RFC 7636 §4.3)."""
