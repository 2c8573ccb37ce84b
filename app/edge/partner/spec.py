"""The partner BFF's declaration for the edge kit: its routes, error format and limits."""

from __future__ import annotations

from app.edge.kit.bff import BFFSpec


def spec() -> BFFSpec:
    return BFFSpec(
        name="partner",
        title="Soundstack Partner API",
        description="Soundstack Partner API.",
        route_handlers=[],
    )
