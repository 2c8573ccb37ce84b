"""A BFF's OpenAPI document made true where Litestar cannot know: every status the edge answers
with (in the BFF's own error body), and the credentials each route's declaration needs.

Litestar builds the document from the handlers (parameters, bodies, typed responses) when it
is first asked for; the JSON and YAML renderers here complete it then, once: each operation gets
the error statuses its declaration (app.edge.kit.routes) makes possible, each with the BFF's
error schema, and its security requirement; the document gets the security schemes. A handler
that reads its request itself (an OAuth form) describes it with `described(...)` as its
`operation_class`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, get_args

import msgspec
from litestar import Litestar, Request
from litestar.openapi.plugins import (
    JsonRenderPlugin,
    OpenAPIRenderPlugin,
    YamlRenderPlugin,
)
from litestar.openapi.spec import Link, OpenAPIResponse, Operation, Parameter, RequestBody

from app.edge.kit.routes import Security, security_of

ERROR = "Error"
PLAIN_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["status", "reason", "message"],
    "properties": {
        "status": {"type": "integer", "description": "the HTTP status"},
        "reason": {"type": "string", "description": "machine-readable reason"},
        "message": {"type": "string", "description": "what was wrong, for people"},
        "field": {"type": "string", "description": "the input that was wrong"},
    },
}
"""The kit's error body (errors.plain_error_format)."""
SECURITY_SCHEMES: dict[str, Any] = {
    "oauth_token": {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": "`OAuth <access token>` or `Bearer <access token>`",
    },
    "client_id": {
        "type": "apiKey",
        "in": "query",
        "name": "client_id",
        "description": "A registered app's client id, for calls without a signed-in user",
    },
    "oauth2": {
        "type": "oauth2",
        "description": "How an app obtains the access tokens that `oauth_token` sends (the "
        "authorization server's document, /auth/schema, describes its endpoints)",
        "flows": {
            "authorizationCode": {
                "authorizationUrl": "/auth/authorize",
                "tokenUrl": "/auth/oauth/token",
                "refreshUrl": "/auth/oauth/token",
                "scopes": {
                    "read": "read the catalog and the user's own resources",
                    "write": "act as the user (like, comment, upload, edit)",
                    "insights": "the user's statistics as a creator",
                },
            },
            "clientCredentials": {
                "tokenUrl": "/auth/oauth/token",
                "scopes": {
                    "read": "read the catalog as the app",
                    "write": "commands an app may send without a user (a play)",
                    "partner:catalog": "manage the catalogs of the creators who granted the app",
                    "partner:insights": "reports on those catalogs",
                },
            },
        },
    },
}
EDGE_RULES = (
    "\n\nEvery input is bounded at the edge, alike for every operation: a string holding a "
    "NUL byte (in the path, the query, a header or the body) is refused with 400 `nul_byte`; "
    "ids are positive int64s."
)
"""What the edge enforces everywhere, said once rather than on every string."""
_WRITES = frozenset({"post", "put", "patch", "delete"})
_DESCRIPTIONS = {
    400: "Bad input (the reason and message name what was wrong)",
    401: "No valid credentials",
    403: "Not allowed (the app's entitlements, the token's scope, or the resource's owner)",
    404: "No such resource (or not visible to the caller)",
    409: "Conflicts with the resource's state",
    413: "The request body is too large",
    415: "The body's media type is not accepted",
    422: "The body is well-formed but cannot be processed",
    429: "Rate limited (Retry-After says when to try again)",
    503: "A dependency is unavailable; retry later",
}
_CONVERTER = re.compile(r"\{(\w+):\w+\}")


def error_statuses(security: Security, method: str) -> tuple[int, ...]:
    """The statuses the edge may answer a route with besides the handler's own."""
    statuses = [400, 404, 429, 503]
    if security.auth != "none":
        statuses += [401, 403]
    if method.lower() in _WRITES:
        statuses += [409, 413, 415, 422]
    return tuple(sorted(statuses))


def _requirement(security: Security) -> list[dict[str, list[str]]] | None:
    if security.auth == "user":
        return [{"oauth_token": []}]
    if security.auth == "app":
        return [{"oauth_token": []}, {"client_id": []}]
    if security.auth == "none":
        return []
    return None  # bff: the BFF's own protocol credentials, described by the BFF


def complete(schema: dict[str, Any], app: Litestar, error_schema: Mapping[str, Any]) -> None:
    """Add error responses and security to `schema` (Litestar's document of `app`), in place."""
    info = schema.setdefault("info", {})
    info["description"] = (info.get("description") or "") + EDGE_RULES
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {})[ERROR] = dict(error_schema)
    components["securitySchemes"] = SECURITY_SCHEMES
    paths: dict[str, Any] = schema.get("paths", {})
    for raw_path, by_method in app.route_handler_method_map.items():
        item = paths.get(_CONVERTER.sub(r"{\1}", raw_path))
        if item is None:
            continue
        for method, handler in by_method.items():
            operation = item.get(str(method).lower())
            if operation is None:
                continue
            security = security_of(handler)
            responses = operation.setdefault("responses", {})
            for status in error_statuses(security, str(method)):
                responses.setdefault(str(status), {"description": _DESCRIPTIONS[status]})
            _error_bodies(responses, _declared_json(handler))
            _union_answers(responses)
            if "requestBody" in operation:
                _struct_bodies(components["schemas"], operation["requestBody"], handler)
            requirement = _requirement(security)
            if requirement is not None:
                operation["security"] = requirement


def _declared_json(handler: Any) -> set[str]:
    """The statuses the handler documents a JSON body of its own for (`responses=`)."""
    return {
        str(status)
        for status, spec in (handler.responses or {}).items()
        if spec.data_container is not None and spec.media_type == "application/json"
    }


def _error_bodies(responses: dict[str, Any], declared: set[str]) -> None:
    """Every error status may be answered in the BFF's error body (besides what the handler
    documents, such as an HTML page, or a JSON body of its own: then either); a 204 or 304
    has no body at all."""
    ref = {"$ref": f"#/components/schemas/{ERROR}"}
    for status, response in responses.items():
        if status in ("204", "304"):
            response.pop("content", None)
        elif status.isdigit() and int(status) >= 400:
            content = response.get("content") or {}
            own = content.get("application/json", {}).get("schema") if status in declared else None
            content["application/json"] = {"schema": {"anyOf": [own, ref]} if own else ref}
            response["content"] = content


def _union_answers(responses: dict[str, Any]) -> None:
    """A handler returning a union answers with any one of its members, which may also match
    another (an empty collection of tracks is one of users too): `anyOf`, not `oneOf`."""
    for response in responses.values():
        for content in (response.get("content") or {}).values():
            schema = content.get("schema") or {}
            if "oneOf" in schema:
                schema["anyOf"] = schema.pop("oneOf")


def described(
    *, parameters: Sequence[Parameter] = (), body: RequestBody | None = None
) -> type[Operation]:
    """An `operation_class` for a handler that reads its request itself (query parameters it
    checks for repetition, an OAuth form): the document names them as if Litestar had parsed
    them."""

    @dataclass
    class DescribedOperation(Operation):
        def __post_init__(self) -> None:
            if parameters:
                self.parameters = [*(self.parameters or []), *parameters]
            if body is not None:
                self.request_body = body

    return DescribedOperation


def link(path: str, method: str, **parameters: str) -> Link:
    """An OpenAPI link to the operation `method path` (a route's path as declared, converters
    and all), its parameters taken from runtime expressions (`$response.body#/id`)."""
    pointer = _CONVERTER.sub(r"{\1}", path).replace("~", "~0").replace("/", "~1")
    return Link(operation_ref=f"#/paths/{pointer}/{method.lower()}", parameters=parameters)


def linked(links: Mapping[str, Link]) -> type[Operation]:
    """An `operation_class` naming, on each success response, the operations its values lead
    to (OpenAPI links: for clients, and for stateful testing, which would guess otherwise)."""

    @dataclass
    class LinkedOperation(Operation):
        def __post_init__(self) -> None:
            for status, response in (self.responses or {}).items():
                if status.startswith("2") and isinstance(response, OpenAPIResponse):
                    response.links = {**(response.links or {}), **links}

    return LinkedOperation


def _struct_types(annotation: Any) -> list[type[msgspec.Struct]]:
    if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
        return [annotation]
    return [t for arg in get_args(annotation) for t in _struct_types(arg)]


def _struct_bodies(schemas: dict[str, Any], body: dict[str, Any], handler: Any) -> None:
    """A body Struct is documented as msgspec decodes it: msgspec's own schema of it, with
    every `Meta` constraint (nested ones too, such as a list's items, which Litestar's drops)
    and `additionalProperties: false` where it forbids unknown fields (an unknown field is a
    400)."""
    data = handler.parsed_fn_signature.parameters.get("data")
    if data is None:
        return
    structs = {t.__name__: t for t in _struct_types(data.annotation)}
    for content in body.get("content", {}).values():
        schema = content.get("schema", {})
        for ref in [schema, *schema.get("oneOf", []), *schema.get("anyOf", [])]:
            name = str(ref.get("$ref", "")).rsplit("/", 1)[-1]
            if name in structs and name in schemas:
                _, decoded = msgspec.json.schema_components(
                    [structs[name]], ref_template="#/components/schemas/{name}"
                )
                schemas.update(decoded)


Finish = Callable[[dict[str, Any], Litestar], None]


class _Completer:
    """Completes the one document of a BFF the first time it is rendered (then `finish`, the
    BFF's own completion, if any)."""

    def __init__(self, error_schema: Mapping[str, Any], finish: Finish | None) -> None:
        self.error_schema = error_schema
        self.finish = finish
        self.done: set[int] = set()

    def __call__(self, request: Request[Any, Any, Any], schema: dict[str, Any]) -> None:
        if id(schema) not in self.done:
            complete(schema, request.app, self.error_schema)
            if self.finish is not None:
                self.finish(schema, request.app)
            self.done.add(id(schema))


class _CompleteJson(JsonRenderPlugin):
    def __init__(self, completer: _Completer) -> None:
        super().__init__()
        self.completer = completer

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        self.completer(request, openapi_schema)
        return super().render(request, openapi_schema)


class _CompleteYaml(YamlRenderPlugin):
    def __init__(self, completer: _Completer) -> None:
        super().__init__()
        self.completer = completer

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        self.completer(request, openapi_schema)
        return super().render(request, openapi_schema)


def render_plugins(
    error_schema: Mapping[str, Any], finish: Finish | None = None
) -> list[OpenAPIRenderPlugin]:
    """The document completed as JSON and YAML (the pages are kit.docs': Litestar's others load
    their scripts from a CDN, which neither works offline nor passes the docs' CSP)."""
    completer = _Completer(error_schema, finish)
    return [
        _CompleteJson(completer),
        _CompleteYaml(completer),
    ]
