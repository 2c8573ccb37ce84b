"""Insights (JSON and CSV) for a managed creator, and this app's own audit trail."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any

from litestar import MediaType, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, QueryParameter

from app.edge.kit.context import EdgeContext
from app.edge.partner import representations
from app.edge.partner.common import CATALOG, INSIGHTS, Collection, collection
from app.edge.partner.params import day, int_list, moment, parameter_names
from app.value_added.access import Viewer
from app.value_added.creator import Insights

RANGE_NAMES = {"start": "from", "end": "to", "since": "from", "until": "to"}
FromParam = Annotated[str | None, QueryParameter(name="from")]


async def provide_insights(
    viewer: NamedDependency[Viewer],
    edge: NamedDependency[EdgeContext],
    user_id: FromPath[int],
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


INSIGHTS_QUERY = {"result": Provide(provide_insights)}


@get("/creators/{user_id:int}/insights", opt=INSIGHTS, dependencies=INSIGHTS_QUERY)
async def insights_json(result: NamedDependency[Insights]) -> representations.PartnerInsights:
    """Plays, likes, reposts and downloads per track, UTC day and territory over [from, to]."""
    return representations.insights(result)


@get("/creators/{user_id:int}/insights.csv", opt=INSIGHTS, dependencies=INSIGHTS_QUERY)
async def insights_csv(user_id: FromPath[int], result: NamedDependency[Insights]) -> Response[str]:
    """The same rows as CSV with a header row (`text/csv`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(representations.CSV_COLUMNS)
    writer.writerows(representations.insight_csv_rows(result))
    filename = f"insights-{user_id}-{result.start}-{result.end}.csv"
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


@get("/audit", opt=CATALOG, media_type=MediaType.JSON)
async def audit_trail(
    request: Request[Any, Any, Any],
    viewer: NamedDependency[Viewer],
    edge: NamedDependency[EdgeContext],
    from_: FromParam = None,
    to: FromQuery[str | None] = None,
    limit: FromQuery[int | None] = None,
    cursor: FromQuery[str | None] = None,
) -> Collection:
    """This app's audited writes, newest first; a bare `to` date includes that whole day."""
    since, until = moment("from", from_), moment("to", to, end_of_day=True)
    with parameter_names(RANGE_NAMES):
        page = await edge.services.creator.audit_trail(viewer, since, until, cursor, limit)
    return collection(
        request, [representations.audit_entry(e) for e in page.items], page.next_cursor
    )


ROUTES = [insights_json, insights_csv, audit_trail]
