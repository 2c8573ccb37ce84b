"""Partner-specific injection: the insights both report formats answer with."""

from __future__ import annotations

from typing import Annotated

from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter

from app.edge.kit.bounds import PathId
from app.edge.kit.context import EdgeContext
from app.edge.partner.params import RANGE_NAMES, day, int_list, parameter_names
from app.value_added.access import Viewer
from app.value_added.creator import Insights

FromParam = Annotated[str | None, QueryParameter(name="from")]
"""`from` (a Python keyword) as a query parameter."""


async def provide_insights(
    viewer: NamedDependency[Viewer],
    edge: NamedDependency[EdgeContext],
    user_id: PathId,
    from_: FromParam = None,
    to: FromQuery[str | None] = None,
    track_ids: FromQuery[str | None] = None,
) -> Insights:
    """The insights both formats answer with, for the query's range and tracks."""
    start, end = day("from", from_), day("to", to)
    ids = int_list("track_ids", track_ids) if track_ids is not None else None
    creator = edge.services.creator
    creator.require_catalog(viewer, user_id)
    with parameter_names(RANGE_NAMES):
        return await creator.insights(viewer, user_id, start, end, ids)
