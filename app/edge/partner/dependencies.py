"""Partner-specific injection: the insights both report formats answer with."""

from __future__ import annotations

from litestar.di import NamedDependency

from app.edge.kit.bounds import PathId
from app.edge.kit.context import EdgeContext
from app.edge.partner.params.query import (
    RANGE_NAMES,
    FirstDay,
    IdList,
    LastDay,
    day,
    listed,
    listed_ids,
    parameter_names,
)
from app.value_added.access import Viewer
from app.value_added.common.errors import NotFound
from app.value_added.creator import Insights


async def provide_insights(
    viewer: NamedDependency[Viewer],
    edge: NamedDependency[EdgeContext],
    user_id: PathId,
    from_: FirstDay = None,
    to: LastDay = None,
    track_ids: IdList = None,
) -> Insights:
    """The insights both formats answer with, for the query's range and tracks."""
    tracks = listed_ids("track_ids", track_ids) if track_ids is not None else None
    if tracks is not None and len(tracks) != len(listed(track_ids)):
        raise NotFound("track not found", field="track_ids")  # an id beyond int64
    creator = edge.services.creator
    creator.require_catalog(viewer, user_id)
    with parameter_names(RANGE_NAMES):
        return await creator.insights(viewer, user_id, day("from", from_), day("to", to), tracks)
