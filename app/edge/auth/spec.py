"""The auth BFF's declaration for the edge kit: its routes, error format and limits."""

from __future__ import annotations

from app.edge.kit.bff import BFFSpec


def spec() -> BFFSpec:
    return BFFSpec(
        name="auth",
        title="Soundstack OAuth 2.1 authorization server",
        description="Soundstack OAuth 2.1 authorization server.",
        route_handlers=[],
    )
