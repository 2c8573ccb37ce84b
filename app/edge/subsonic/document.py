"""The Subsonic BFF's OpenAPI document: what each endpoint reads, what it answers inside the
`subsonic-response` envelope, the protocol's errors and its credentials.

The handlers read their parameters themselves (query string, then form body), so Litestar sees
none of it: each endpoint declares its `Doc` (routes.endpoint), and `finish` writes one path per
endpoint, `/<name>`, with its GET (parameters in the query) and its form POST (the same
parameters as a form body). `/<name>.view` is the same operation under another name, said once
in the document's description rather than documented twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import msgspec
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler

from app.edge.kit.routes import DOCUMENT_KEY, security_of
from app.edge.subsonic import errors
from app.edge.subsonic import representations as rep
from app.edge.subsonic.params import FORM, MAX_IDS, MAX_PAGE, PREFIX_OF, Kind
from app.edge.subsonic.representations.encoding import MEDIA_TYPES

PREFIX = "Subsonic"
"""Component names: the shapes are Subsonic's (`SubsonicChild` …)."""
CODES = [
    errors.GENERIC,
    errors.MISSING_PARAMETER,
    errors.CLIENT_MUST_UPGRADE,
    errors.SERVER_MUST_UPGRADE,
    errors.WRONG_CREDENTIALS,
    errors.CONFLICTING_MECHANISMS,
    errors.INVALID_API_KEY,
    errors.NOT_AUTHORIZED,
    errors.NOT_FOUND,
]
ERROR_CODES = """Error codes: 0 a generic error (an invalid parameter value, an endpoint not
implemented, a rate limit, with `Retry-After`), 10 a required parameter missing, 20/30 the
client/server must upgrade (protocol major version), 40 wrong username or password, 43 two
credential mechanisms at once, 44 an invalid API key, 50 not allowed, 70 not found (a malformed
id, an id of another kind, a missing item and one the caller may not see alike)."""
SECURITY_SCHEMES: dict[str, Any] = {
    "subsonicUser": {
        "type": "apiKey",
        "in": "query",
        "name": "u",
        "description": "The username, with `t` and `s` or with `p`",
    },
    "subsonicToken": {
        "type": "apiKey",
        "in": "query",
        "name": "t",
        "description": "md5(player password + `s`), lowercase hex",
    },
    "subsonicSalt": {
        "type": "apiKey",
        "in": "query",
        "name": "s",
        "description": "A random salt, new for each request",
    },
    "subsonicPassword": {
        "type": "apiKey",
        "in": "query",
        "name": "p",
        "description": "The player password, plain or `enc:` and its UTF-8 bytes in hex",
    },
    "subsonicApiKey": {
        "type": "apiKey",
        "in": "query",
        "name": "apiKey",
        "description": "An API key (OpenSubsonic apiKeyAuthentication); never with `u`",
    },
}
REQUIREMENT: list[dict[str, list[str]]] = [
    {"subsonicUser": [], "subsonicToken": [], "subsonicSalt": []},
    {"subsonicUser": [], "subsonicPassword": []},
    {"subsonicApiKey": []},
]
"""Token and salt, the plain password, or an API key (in the query, or in a form body)."""
_NUMBER = "[1-9][0-9]{0,17}"


class Param(NamedTuple):
    name: str
    schema: dict[str, Any]
    description: str
    required: bool = False
    many: bool = False
    """Repeatable (`id=…&id=…`): documented as an array of at most `limit`."""
    limit: int = MAX_IDS


class Doc(NamedTuple):
    """What an endpoint reads and answers: its parameters, and the element of the envelope it
    answers with (name, type), or a redirect."""

    params: Sequence[Param] = ()
    answer: tuple[str, Any] | None = None
    redirect: bool = False


def ids(
    name: str,
    kinds: Sequence[Kind],
    description: str,
    *,
    required: bool = False,
    many: bool = False,
    limit: int = MAX_IDS,
) -> Param:
    """An id parameter of the given kinds (anything else is error 70, as a missing item)."""
    prefixes = "|".join(PREFIX_OF[k] for k in kinds)
    schema = {"type": "string", "pattern": f"^({prefixes})-{_NUMBER}$"}
    return Param(name, schema, description, required, many, limit)


def integer(
    name: str,
    low: int,
    high: int,
    description: str,
    *,
    default: int | None = None,
    required: bool = False,
) -> Param:
    schema: dict[str, Any] = {"type": "integer", "minimum": low, "maximum": high}
    if default is not None:
        schema["default"] = default
    return Param(name, schema, description, required)


def boolean(name: str, description: str, *, default: bool | None = None) -> Param:
    schema: dict[str, Any] = {"type": "boolean"}
    if default is not None:
        schema["default"] = default
    return Param(name, schema, description + " (also 1/0, yes/no)")


def text(name: str, description: str, *, required: bool = False, empty: bool = False) -> Param:
    """A string; a required one may not be empty unless `empty` (empty counts as missing)."""
    schema: dict[str, Any] = {"type": "string"}
    if required and not empty:
        schema["minLength"] = 1
    return Param(name, schema, description, required)


def choice(name: str, values: Sequence[str], description: str, *, required: bool = True) -> Param:
    return Param(name, {"type": "string", "enum": list(values)}, description, required)


def size(name: str = "size", default: int = 10) -> Param:
    return integer(name, 1, MAX_PAGE, "How many", default=default)


def offset(name: str = "offset") -> Param:
    return integer(name, 0, 1_000_000, "How many to skip", default=0)


COMMON = (
    Param(
        "f",
        {"type": "string", "enum": ["xml", "json", "jsonp"], "default": "xml"},
        "The response format",
    ),
    Param(
        "callback",
        {"type": "string", "pattern": "^[A-Za-z_$][A-Za-z0-9_$.]{0,63}$"},
        "The JavaScript function JSONP calls (f=jsonp needs it: error 10 in XML without it)",
    ),
    text("v", "The protocol version the client speaks (1.x; before 1: error 20, after: 30)"),
    text("c", "The client's name"),
)
"""What every endpoint reads: the format, and who is calling."""


def _components() -> dict[str, Any]:
    """The Subsonic shapes as msgspec encodes them, named `Subsonic<Name>`."""
    types = [getattr(rep, name) for name in rep.__all__ if isinstance(getattr(rep, name), type)]
    _, found = msgspec.json.schema_components(
        types, ref_template=f"#/components/schemas/{PREFIX}{{name}}"
    )
    return {PREFIX + name: schema for name, schema in found.items()}


def _schema_of(answer: Any) -> dict[str, Any]:
    (schema,), _ = msgspec.json.schema_components(
        [answer], ref_template=f"#/components/schemas/{PREFIX}{{name}}"
    )
    return schema


ENVELOPE: dict[str, Any] = {
    "status": {"type": "string"},
    "version": {"type": "string", "description": "The protocol version served"},
    "type": {"type": "string", "const": rep.SERVER_TYPE},
    "serverVersion": {"type": "string"},
    "openSubsonic": {"type": "boolean", "const": True},
}
FAILED: dict[str, Any] = {
    "type": "object",
    "description": "A failure: `status` failed and the error's code.\n\n" + ERROR_CODES,
    "required": [*ENVELOPE, "error"],
    "additionalProperties": False,
    "properties": {
        **ENVELOPE,
        "status": {"type": "string", "const": "failed"},
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "additionalProperties": False,
            "properties": {
                "code": {"type": "integer", "enum": CODES},
                "message": {"type": "string"},
            },
        },
    },
}
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["subsonic-response"],
    "additionalProperties": False,
    "properties": {"subsonic-response": FAILED},
}
"""The JSON body of a failure (of the edge's refusals before a call is read, always JSON)."""


def _wrapped(inner: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["subsonic-response"],
        "additionalProperties": False,
        "properties": {"subsonic-response": inner},
    }


def _ok(answer: tuple[str, Any] | None) -> dict[str, Any]:
    properties = {**ENVELOPE, "status": {"type": "string", "const": "ok"}}
    required = list(ENVELOPE)
    if answer is not None:
        properties[answer[0]] = _schema_of(answer[1])
        required.append(answer[0])
    return {
        "type": "object",
        "required": required,
        "additionalProperties": False,
        "properties": properties,
    }


def _content(json_schema: dict[str, Any], what: str) -> dict[str, Any]:
    """The envelope in each format: XML (the default), JSON (f=json) and JSONP (f=jsonp)."""
    return {
        MEDIA_TYPES["xml"]: {
            "schema": {"type": "string", "description": f"{what} as XML (f=xml or no f)"}
        },
        MEDIA_TYPES["json"]: {"schema": json_schema},
        MEDIA_TYPES["jsonp"]: {
            "schema": {"type": "string", "description": f"`callback(…);` around the JSON {what}"}
        },
    }


def _responses(doc: Doc, method: str) -> dict[str, Any]:
    answered = _wrapped(
        {"anyOf": [_ok(doc.answer), {"$ref": f"#/components/schemas/{PREFIX}Failed"}]}
    )
    if doc.redirect:
        answered = _wrapped({"$ref": f"#/components/schemas/{PREFIX}Failed"})
    failed = _wrapped({"$ref": f"#/components/schemas/{PREFIX}Failed"})
    retry = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait"}}
    responses: dict[str, Any] = {
        "200": {
            "description": "The answer in the envelope, or (`status` failed) an error code: "
            "Subsonic answers every failure of a call with HTTP 200",
            "content": _content(answered, "envelope"),
        },
        "400": {
            "description": "Refused by the edge before the call is read (a NUL byte in a "
            "string, an unknown Host): error 0, in JSON",
            "content": {MEDIA_TYPES["json"]: {"schema": {"$ref": "#/components/schemas/Error"}}},
        },
        "503": {
            "description": "A dependency is unavailable; retry later (error 0)",
            "headers": retry,
            "content": _content(failed, "failure"),
        },
    }
    if doc.redirect:
        responses["302"] = {
            "description": "To the signed, short-lived media URL",
            "headers": {"Location": {"schema": {"type": "string"}, "required": True}},
        }
    if method == "post":
        responses["413"] = {
            "description": "The form body is larger than the edge takes: error 0, in JSON",
            "content": {MEDIA_TYPES["json"]: {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    return dict(sorted(responses.items()))


def _parameter_schema(param: Param) -> dict[str, Any]:
    if param.many:
        schema: dict[str, Any] = {"type": "array", "items": param.schema, "maxItems": param.limit}
        if param.required:
            schema["minItems"] = 1
        return schema
    return param.schema


def _operation(name: str, summary: str, doc: Doc, method: str, secured: bool) -> dict[str, Any]:
    params = [*COMMON, *doc.params]
    operation: dict[str, Any] = {
        "summary": summary,
        "operationId": name if method == "get" else f"{name}Form",
        "tags": ["subsonic"],
        "responses": _responses(doc, method),
        "security": REQUIREMENT if secured else [],
    }
    if method == "get":
        operation["parameters"] = [
            {
                "name": p.name,
                "in": "query",
                "required": p.required,
                "description": p.description,
                "schema": _parameter_schema(p),
                **({"style": "form", "explode": True} if p.many else {}),
            }
            for p in params
        ]
        return operation
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {
            p.name: {**_parameter_schema(p), "description": p.description} for p in params
        },
    }
    required = [p.name for p in params if p.required]
    if required:
        schema["required"] = required
    encoding = {p.name: {"style": "form", "explode": True} for p in params if p.many}
    media: dict[str, Any] = {"schema": schema}
    if encoding:
        media["encoding"] = encoding
    operation["requestBody"] = {"required": bool(required), "content": {FORM: media}}
    return operation


def finish(schema: dict[str, Any], app: Litestar) -> None:
    """Replace Litestar's operations of the Subsonic endpoints by their true ones, in place."""
    paths: dict[str, Any] = schema.setdefault("paths", {})
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {}).update(_components())
    components["schemas"][f"{PREFIX}Failed"] = FAILED
    # (a new mapping: the kit's schemes are shared by every BFF's document)
    components["securitySchemes"] = {**components.get("securitySchemes", {}), **SECURITY_SCHEMES}
    documented: dict[str, dict[str, Any]] = {}
    for by_method in app.route_handler_method_map.values():
        for handler in by_method.values():
            doc = (handler.opt or {}).get(DOCUMENT_KEY)
            name = handler.name
            if not isinstance(handler, HTTPRouteHandler) or not isinstance(doc, Doc) or not name:
                continue
            secured = security_of(handler).auth != "none"
            summary = handler.summary or name
            documented[name] = {
                method: _operation(name, summary, doc, method, secured)
                for method in ("get", "post")
            }
    for name in documented:
        paths.pop(f"/{name}", None)
        paths.pop(f"/{name}.view", None)
    paths.update({f"/{name}": item for name, item in sorted(documented.items())})
