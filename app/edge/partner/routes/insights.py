"""Insights (JSON and CSV) for a managed creator."""

from __future__ import annotations

import csv
import io

from litestar import Response, get
from litestar.di import NamedDependency, Provide

from app.edge.kit.bounds import PathId
from app.edge.partner import mappers
from app.edge.partner.dependencies import provide_insights
from app.edge.partner.representations import CSV_COLUMNS, PartnerInsights
from app.edge.partner.routes import INSIGHTS
from app.value_added.creator import Insights

INSIGHTS_QUERY = {"result": Provide(provide_insights)}


@get("/creators/{user_id:int}/insights", opt=INSIGHTS, dependencies=INSIGHTS_QUERY)
async def insights_json(result: NamedDependency[Insights]) -> PartnerInsights:
    """Plays, likes, reposts and downloads per track, UTC day and territory over [from, to]."""
    return mappers.insights(result)


@get(
    "/creators/{user_id:int}/insights.csv",
    opt=INSIGHTS,
    dependencies=INSIGHTS_QUERY,
    media_type="text/csv",
)
async def insights_csv(user_id: PathId, result: NamedDependency[Insights]) -> Response[str]:
    """The same rows as CSV with a header row (`text/csv`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(mappers.insight_csv_rows(result))
    filename = f"insights-{user_id}-{result.start}-{result.end}.csv"
    return Response(
        out.getvalue(),
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


ROUTES = [insights_json, insights_csv]
