"""Schemathesis hooks and checks of the Subsonic protocol, for the operations of a document whose
calls answer in the `subsonic-response` envelope (tests/contract/test_bff_schemathesis.py).

The parameters every endpoint reads alike — `f`, `callback`, `v`, `c`, read by one code path
(app.edge.subsonic.params.Call) — are fuzzed on ENVELOPE_PATHS (/ping) only: elsewhere the
fuzzer leaves them out of the operations it loads and sends `f=json` (so every answer is checked
against its JSON schema), `v` and `c` as a player does. Fuzzing them on every operation repeats
the same cases 80 times over (the coverage phase varies the required parameters once per
optional one) and takes the run far beyond its time budget.

Subsonic answers a failed call with HTTP 200 and `status="failed"` with an error code (players
read nothing else), so two generic checks cannot judge it by the HTTP status and are replaced
here, for that document only:

- `subsonic_negative_data_rejection` (for `negative_data_rejection`): a schema-violating request
  is refused with the failed envelope and the code of a bad request — 10 (a required parameter
  missing), 0 (a value that is invalid) or 70 (an id that is malformed, as a missing one is).
  It is schemathesis' own check, given the response with such a refusal read as the HTTP 400 it
  means (every other response as it is), so it keeps that check's judgement of which cases are
  really invalid on the wire.
- `subsonic_auth_enforced` (for `ignored_auth`): an operation with a security requirement that
  answered `ok` refuses the same request without credentials (error 10), once per operation;
  and, once per run, with a wrong token (error 40) — a wrong credential counts against the
  failed sign-ins the server throttles per user and address, so it is not sent per operation.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from xml.etree import ElementTree

import requests
import schemathesis
from schemathesis import Response
from schemathesis.checks import negative_data_rejection

ENVELOPE_PATHS = ("/ping",)
COMMON = {"f": "json", "callback": None, "v": "1.16.1", "c": "schemathesis"}
"""The parameters of every endpoint, and what the fuzzer sends elsewhere (None: nothing)."""
REFUSALS = frozenset({0, 10, 70})
"""The codes of a bad request: generic (an invalid value), missing parameter, not found."""
CREDENTIALS = ("u", "p", "t", "s", "apiKey")
MISSING, WRONG = 10, 40
_JSONP = re.compile(rb"^[A-Za-z_$][A-Za-z0-9_$.]*\((.*)\);$", re.DOTALL)
_probed: set[str] = set()


def _is_subsonic_document(raw_schema: dict[str, Any]) -> bool:
    """Whether the document is a Subsonic one (declares the failed envelope)."""
    return "SubsonicFailed" in raw_schema.get("components", {}).get("schemas", {})


def is_subsonic(case: Any) -> bool:
    return _is_subsonic_document(case.operation.schema.raw_schema)


@schemathesis.hook
def before_load_schema(context: Any, raw_schema: dict[str, Any]) -> None:
    """The common parameters out of every Subsonic operation but those of ENVELOPE_PATHS."""
    if not _is_subsonic_document(raw_schema):
        return
    for path, item in raw_schema.get("paths", {}).items():
        if path in ENVELOPE_PATHS:
            continue
        for operation in item.values():
            parameters = operation.get("parameters", [])
            operation["parameters"] = [p for p in parameters if p.get("name") not in COMMON]
            for media in operation.get("requestBody", {}).get("content", {}).values():
                schema = media.get("schema", {})
                for name in COMMON:
                    schema.get("properties", {}).pop(name, None)


@schemathesis.hook("map_case")
def common_parameters(context: Any, case: Any) -> Any:
    """`f=json`, `v` and `c` in the query of the Subsonic operations that do not fuzz them."""
    if not is_subsonic(case) or case.operation.path in ENVELOPE_PATHS:
        return case
    fixed = {name: value for name, value in COMMON.items() if value is not None}
    case.query = {**fixed, **(case.query or {})}
    return case


def envelope(response: Any) -> tuple[str, int | None] | None:
    """(status, error code) of a Subsonic envelope in XML, JSON or JSONP; None if none."""
    content: bytes = response.content or b""
    kind = (response.headers.get("content-type") or [""])[0].split(";")[0].strip()
    try:
        if kind == "text/xml":
            root = ElementTree.fromstring(content)
            error = root.find("{*}error")
            code = None if error is None else int(error.get("code", "-1"))
            return root.get("status", ""), code
        if kind in ("application/json", "application/javascript"):
            match = _JSONP.match(content.strip())
            body = json.loads(match.group(1) if match else content)["subsonic-response"]
            return body.get("status", ""), body.get("error", {}).get("code")
    except (ValueError, KeyError, TypeError, ElementTree.ParseError):
        return None
    return None


def _as_meant(response: Any) -> Any:
    """The response with a refusal in the envelope read as the HTTP 400 it means."""
    found = envelope(response)
    if response.status_code != 200 or found is None or found[0] != "failed":
        return response
    if found[1] not in REFUSALS:
        return response
    return Response(
        status_code=400,
        headers=response.headers,
        content=response.content,
        request=response.request,
        elapsed=response.elapsed,
        verify=response.verify,
        message=f"Bad Request (Subsonic: HTTP 200, status failed, error code {found[1]})",
        http_version=response.http_version,
        encoding=response.encoding,
    )


@schemathesis.check
def subsonic_negative_data_rejection(ctx: Any, response: Any, case: Any) -> bool | None:
    """A schema-violating Subsonic call is refused with error 10, 0 or 70 (HTTP 200)."""
    if not is_subsonic(case):
        return None
    result: bool | None = negative_data_rejection(ctx, _as_meant(response), case)
    return result


def _without_credentials(request: Any, **replaced: str) -> tuple[str, Any]:
    """The request's URL and body without credentials (and with `replaced` in the query)."""
    parts = urlsplit(request.url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    query = [(k, v) for k, v in query if k not in CREDENTIALS] + list(replaced.items())
    body = request.body
    if isinstance(body, bytes | str) and body:
        raw = body.decode() if isinstance(body, bytes) else body
        pairs = parse_qsl(raw, keep_blank_values=True)
        body = urlencode([(k, v) for k, v in pairs if k not in CREDENTIALS])
    return urlunsplit(parts._replace(query=urlencode(query))), body


def _probe(request: Any, **replaced: str) -> tuple[str, int | None] | None:
    url, body = _without_credentials(request, **replaced)
    headers = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}
    answer = requests.request(request.method, url, data=body, headers=headers, timeout=30)
    return envelope(Response.from_requests(answer, verify=True))


@schemathesis.check
def subsonic_auth_enforced(ctx: Any, response: Any, case: Any) -> bool | None:
    """An operation whose document requires credentials, which answered `ok`, refuses the
    same call without them (10) and, once per run, with a wrong token (40)."""
    if not is_subsonic(case) or not case.operation.definition.raw.get("security"):
        return None
    found = envelope(response)
    if response.status_code != 200 or found is None or found[0] != "ok":
        return None
    label = case.operation.label
    sent = dict(parse_qsl(urlsplit(response.request.url).query))
    if label in _probed or "u" not in sent:
        return None
    _probed.add(label)
    bare = _probe(response.request)
    assert bare is not None and bare[0] == "failed" and bare[1] == MISSING, (
        f"{label} answered {bare} without credentials; expected failed with error {MISSING}"
    )
    if "wrong token" not in _probed:
        _probed.add("wrong token")
        salt = "wrong-salt"
        token = hashlib.md5(b"not the password" + salt.encode()).hexdigest()
        wrong = _probe(response.request, u=sent["u"], t=token, s=salt)
        assert wrong is not None and wrong[0] == "failed" and wrong[1] == WRONG, (
            f"{label} answered {wrong} to a wrong token; expected failed with error {WRONG}"
        )
    return None
