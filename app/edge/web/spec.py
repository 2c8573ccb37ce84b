"""The web BFF's declaration for the edge kit: its routes, error format and limits."""

from __future__ import annotations

from app.edge.kit.bff import BFFSpec


def spec() -> BFFSpec:
    return BFFSpec(
        name="web",
        title="Soundstack Web API (api-v2 compatible)",
        description="Soundstack Web API (api-v2 compatible).",
        route_handlers=[],
    )
