"""Operations endpoints and the mounting of every BFF."""

from __future__ import annotations

from tests.e2e.conftest import Harness


async def test_health_and_ready(harness: Harness) -> None:
    health = await harness.client.get("/health")
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    assert health.headers["x-request-id"]
    assert "server" not in health.headers
    ready = await harness.client.get("/ready")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"


async def test_every_bff_has_its_own_openapi_document(harness: Harness) -> None:
    titles = set()
    for bff in ("mobile", "web", "public", "partner", "auth"):
        doc = await harness.client.get(f"/{bff}/schema/openapi.json")
        assert doc.status_code == 200, bff
        titles.add(doc.json()["info"]["title"])
        assert doc.json()["servers"][0]["url"] == f"/{bff}"
    assert len(titles) == 5


async def test_bff_requires_an_app(harness: Harness) -> None:
    r = await harness.client.get("/mobile/anything")
    assert r.status_code in (401, 404)
