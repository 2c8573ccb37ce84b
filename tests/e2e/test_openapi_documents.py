"""Each BFF's own OpenAPI document names what the edge does: the error statuses every route may
answer with (in the BFF's error body), the credentials it needs, strict bodies, exact id bounds."""

from __future__ import annotations

from typing import Any

import pytest

from app.edge.kit.bounds import MAX_ID
from tests.e2e.conftest import Harness

BFFS = ("public", "mobile", "web", "partner", "auth")
TYPED_BFFS = ("public", "mobile", "web", "partner", "auth")
"""The BFFs whose every success body is typed."""


async def _document(h: Harness, bff: str) -> dict[str, Any]:
    r = await h.client.get(f"/{bff}/schema/openapi.json")
    assert r.status_code == 200, r.text
    doc: dict[str, Any] = r.json()
    return doc


@pytest.mark.parametrize("bff", BFFS)
async def test_every_operation_documents_errors_and_security(
    sqlite_harness: Harness, bff: str
) -> None:
    doc = await _document(sqlite_harness, bff)
    assert set(doc["components"]["securitySchemes"]) == {"oauth_token", "client_id", "oauth2"}
    assert "Error" in doc["components"]["schemas"]
    operations = [
        (path, method, op)
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]
    assert operations
    for path, method, op in operations:
        responses = op["responses"]
        for status in ("400", "404", "429"):
            schema = responses[status]["content"]["application/json"]["schema"]
            refs = [one.get("$ref") for one in schema.get("anyOf", [schema])]  # or its own body
            assert "#/components/schemas/Error" in refs, (bff, method, path)
        assert "security" in op, (bff, method, path)
        if op["security"]:
            assert {"401", "403"} <= set(responses), (bff, method, path)
        if method != "get":
            assert "422" in responses and "409" in responses


async def test_error_schemas_match_the_bodies_sent(sqlite_harness: Harness) -> None:
    h = sqlite_harness
    for bff in BFFS:
        doc = await _document(h, bff)
        required = doc["components"]["schemas"]["Error"]["required"]
        r = await h.client.get(f"/{bff}/whoami")
        assert r.status_code == 401
        assert set(required) <= set(r.json()), (bff, r.json())


async def test_ids_and_strict_bodies_are_declared_exactly(sqlite_harness: Harness) -> None:
    doc = await _document(sqlite_harness, "mobile")
    (param,) = doc["paths"]["/tracks/{track_id}"]["get"]["parameters"][:1]
    assert param["schema"]["maximum"] == MAX_ID and param["schema"]["minimum"] == 1
    post = doc["paths"]["/tracks/{track_id}/comments"]["post"]
    name = post["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    assert doc["components"]["schemas"][name]["additionalProperties"] is False
    public = await _document(sqlite_harness, "public")
    comment = public["paths"]["/tracks/{track_urn}/comments"]
    assert "oauth_token" in str(comment["post"]["security"])


@pytest.mark.parametrize(("bff", "path", "url"), [("mobile", "/tracks/{track_id}", "/tracks/1")])
async def test_options_allows_every_documented_method(
    sqlite_harness: Harness, bff: str, path: str, url: str
) -> None:
    h = sqlite_harness
    app, _ = await h.new_app("Allow")
    token = await h.app_token(app)
    documented = {method.upper() for method in (await _document(h, bff))["paths"][path]}
    assert len(documented) > 1
    r = await h.client.options(f"/{bff}{url}", headers={"Authorization": f"OAuth {token}"})
    assert r.status_code == 204, r.text
    assert {m.strip() for m in r.headers["allow"].split(",")} == documented | {"OPTIONS"}


def _untyped(doc: dict[str, Any], schema: dict[str, Any], seen: set[str]) -> list[str]:
    """Where a response schema says nothing of its JSON: `{}` (anything) or an object without
    properties (a free dict), following references, items and alternatives."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        seen.add(name)
        return [
            f"{name}.{where}" for where in _untyped(doc, doc["components"]["schemas"][name], seen)
        ]
    if not schema:
        return ["(any)"]
    found: list[str] = []
    for key in ("oneOf", "anyOf", "allOf"):
        for i, one in enumerate(schema.get(key, [])):
            found += [f"{key}[{i}]{w}" for w in _untyped(doc, one, seen)]
    if "items" in schema:
        found += [f"[]{w}" for w in _untyped(doc, schema["items"], seen)]
    values = schema.get("additionalProperties")
    if isinstance(values, dict) and values:  # a map from names to typed values
        found += [f"{{name}}: {w}" for w in _untyped(doc, values, seen)]
    elif schema.get("type") == "object" and not schema.get("properties"):
        found.append("(free object)")
    for name, prop in schema.get("properties", {}).items():
        found += [f"{name}: {w}" for w in _untyped(doc, prop, seen)]
    return found


OPEN = ("FieldChange.old: (any)", "FieldChange.new: (any)")
"""The one open value by design: an audited field's value before and after a write (the
partner audit trail), whatever JSON value that field holds."""


@pytest.mark.parametrize("bff", TYPED_BFFS)
async def test_every_success_body_is_typed_all_the_way_down(
    sqlite_harness: Harness, bff: str
) -> None:
    """Every 2xx JSON body is a typed schema all the way down (the BFF's Structs), no free dict
    and no `anything` in it: the document says what each field of each item is."""
    doc = await _document(sqlite_harness, bff)
    bodies = 0
    for path, item in doc["paths"].items():
        for method, op in item.items():
            for status, response in op.get("responses", {}).items():
                schema = response.get("content", {}).get("application/json", {}).get("schema")
                if not status.startswith("2") or schema is None:
                    continue
                bodies += 1
                untyped = [w for w in _untyped(doc, schema, set()) if not w.endswith(OPEN)]
                assert not untyped, (method, path, untyped)
    assert bodies > 0


async def test_web_entities_are_told_apart_by_kind(sqlite_harness: Harness) -> None:
    doc = await _document(sqlite_harness, "web")
    track = doc["components"]["schemas"]["BasicTrack"]
    assert track["required"] == ["id", "kind"] and "media" in track["properties"]
    resolved = doc["paths"]["/resolve"]["get"]["responses"]["200"]["content"]["application/json"]
    kinds = {
        doc["components"]["schemas"][one["$ref"].rsplit("/", 1)[-1]]["properties"]["kind"]["const"]
        for one in resolved["schema"]["anyOf"]
    }
    assert kinds == {"track", "user", "playlist"}
