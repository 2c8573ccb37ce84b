"""Request inputs of the OAuth endpoints: bodies, client credentials, authorization requests."""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import parse_qsl, unquote_plus, urlencode, urlsplit, urlunsplit

import msgspec
from litestar import MediaType, Request, Response
from litestar.openapi.spec import OpenAPIType, Parameter, Schema

from app.edge.auth.errors import from_service, oauth_error
from app.edge.auth.pages import refuse
from app.edge.kit import throttle
from app.edge.kit.context import EdgeContext
from app.edge.kit.oauth_forms import (
    AUTHORIZE_FIELDS,
    CLIENT_FIELDS,
    FORM,
    JSON,
    form_body,
    text_field,
)
from app.value_added.common.errors import InvalidArgument, Unauthenticated
from app.value_added.identity import AppInfo, IdentityService, rules


def _invalid(description: str) -> Exception:
    return oauth_error("invalid_request", description)


def parse_form(body: bytes) -> dict[str, str]:
    """Form fields; a repeated parameter is an error (RFC 6749 §3.2)."""
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        raise _invalid("the body is not valid UTF-8") from None
    params: dict[str, str] = {}
    for name, value in pairs:
        if name in params:
            raise _invalid(f"parameter {name!r} is repeated")
        params[name] = value
    return params


def _parse_json(body: bytes) -> dict[str, str]:
    try:
        data = msgspec.json.decode(body)
    except msgspec.DecodeError:
        raise _invalid("the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise _invalid("the JSON body must be an object")
    bad = sorted(k for k, v in data.items() if not isinstance(v, str))
    if bad:
        raise _invalid(f"parameters {bad} must be strings")
    return data


async def body_params(
    request: Request[Any, Any, Any], *, allow_json: bool = True
) -> dict[str, str]:
    """The parameters of a POST; empty strings count as absent."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if ctype == FORM or (not ctype and not body):
        params = parse_form(body)
    elif ctype == JSON and allow_json:
        params = _parse_json(body)
    else:
        raise _invalid(f"the body must be {FORM}" + (" or JSON" if allow_json else ""))
    return {k: v for k, v in params.items() if v != ""}


def require(params: dict[str, str], *names: str) -> list[str]:
    """The values of required parameters, or invalid_request naming the missing ones."""
    missing = [n for n in names if not params.get(n)]
    if missing:
        raise _invalid("missing required parameter(s): " + ", ".join(missing))
    return [params[n] for n in names]


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


async def authenticate_client(request: Request[Any, Any, Any], params: dict[str, str]) -> AppInfo:
    """The authenticated app: a confidential app by its secret (HTTP Basic or form fields), a
    public app by its bare client_id (its grants are bound by PKCE). Wrong secrets are
    throttled per address and per client_id at that address (429 `too_many_attempts`)."""
    ctx = EdgeContext.of(request.app.state)
    identity = ctx.services.identity
    basic = basic_credentials(request.headers.get("authorization"))
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
            return await throttle.client_verified(ctx, request.scope, client_id, secret)
        except Unauthenticated as exc:
            raise from_service(exc) from exc
    app = await identity.app_by_client_id(client_id)
    if app is None:
        raise oauth_error("invalid_client", "client authentication failed")
    if not app.public:
        raise oauth_error(
            "invalid_client", "this app is confidential: authenticate with its client secret"
        )
    return app


PARAMS = (
    "response_type",
    "client_id",
    "redirect_uri",
    "state",
    "code_challenge",
    "code_challenge_method",
    "scope",
)


def bound_values(params: dict[str, str]) -> list[str]:
    """The request's values a form token is bound to (csrf), in PARAMS order."""
    return [params.get(name, "") for name in PARAMS]


class Authorization(msgspec.Struct, frozen=True):
    """A request whose client and redirect_uri are known good: errors may now redirect.

    An unknown client or an unregistered redirect_uri is shown to the user as an HTML error
    page and never redirected (RFC 6749 §4.1.2.1, `check_client`).
    """

    app: AppInfo
    redirect_uri: str
    params: dict[str, str]

    @property
    def bound(self) -> list[str]:
        return bound_values(self.params)

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


# ----------------------------------------------------------------- what the document says


REVOKE_BODY = form_body(
    "The token to revoke (RFC 7009 §2.1) and the client's authentication.",
    {
        "token": text_field("an access or refresh token", required=True),
        "token_type_hint": text_field("access_token or refresh_token (not needed)"),
        **CLIENT_FIELDS,
    },
    ["token"],
)
SIGN_OUT_BODY = form_body(
    "The token to sign out when it is not in the Authorization header.",
    {"access_token": text_field("the access token whose family is revoked")},
    [],
)
AUTHORIZE_QUERY = [
    Parameter(
        name=name,
        param_in="query",
        required=name in ("client_id", "redirect_uri"),
        schema=schema,
        description=schema.description,
    )
    for name, schema in AUTHORIZE_FIELDS.items()
]
AUTHORIZE_FORM = form_body(
    "The sign-in form of GET /authorize as the browser submits it.",
    {
        **AUTHORIZE_FIELDS,
        "csrf_token": text_field(
            "the form token of the page (bound to the other fields)", required=True
        ),
        "username": Schema(type=OpenAPIType.STRING),
        "password": Schema(type=OpenAPIType.STRING),
        "decision": Schema(type=OpenAPIType.STRING, enum=["approve", "deny"]),
    },
    ["client_id", "redirect_uri", "csrf_token", "decision"],
    json=False,
)
