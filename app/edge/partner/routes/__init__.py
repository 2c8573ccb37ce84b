"""The Partner API's route handlers, one module per resource, and the security declarations
they share: every route needs an app entitlement besides the kit's rules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from litestar import Request

from app.edge.kit.context import EdgeContext
from app.edge.kit.routes import Security, declare
from app.edge.partner.mappers import track_at
from app.edge.partner.representations import PartnerTrack
from app.value_added.access import Viewer
from app.value_added.catalog import CreatorTrack

MANAGE = declare(Security(auth="app", scope="partner:catalog", entitlement="partner:catalog"))
"""Reading and changing the catalogs of the creators who granted this app management."""
INSIGHTS = declare(Security(auth="app", scope="partner:insights", entitlement="partner:insights"))
"""Reports on those catalogs."""


async def tracks_at(
    request: Request[Any, Any, Any],
    edge: EdgeContext,
    viewer: Viewer,
    tracks: Sequence[CreatorTrack],
) -> list[PartnerTrack]:
    """Managed tracks as the partner sees them, each with its media state (one read)."""
    states = await edge.services.creator.media_states(viewer, [t.id for t in tracks])
    return [track_at(request, t, states.get(t.id, "none")) for t in tracks]
