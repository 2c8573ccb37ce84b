"""The media edge's declaration for the kit: signed stream/preview/download/artwork delivery."""

from __future__ import annotations

from app.edge.kit.bff import BFFSpec
from app.edge.media.routes import delivery


def spec() -> BFFSpec:
    return BFFSpec(
        name="media",
        title="Soundstack media delivery",
        description="Signed, short-lived URLs for streams, previews, downloads and artwork.",
        route_handlers=delivery.ROUTES,
    )
