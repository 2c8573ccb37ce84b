"""The public BFF's declaration for the edge kit: its routes, error format and limits."""

from __future__ import annotations

from app.edge.kit.bff import BFFSpec


def spec() -> BFFSpec:
    return BFFSpec(
        name="public",
        title="Soundstack Public API (SoundCloud public API compatible)",
        description="Soundstack Public API (SoundCloud public API compatible).",
        route_handlers=[],
    )
