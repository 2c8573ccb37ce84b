"""The mobile BFF's declaration for the edge kit: its routes, error format and limits."""

from __future__ import annotations

from app.edge.kit.bff import BFFSpec


def spec() -> BFFSpec:
    return BFFSpec(
        name="mobile",
        title="Soundstack Mobile API",
        description="Soundstack Mobile API.",
        route_handlers=[],
    )
