"""This app's own audit trail: every write it made to the catalogs it manages."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, get
from litestar.di import NamedDependency
from litestar.params import FromQuery

from app.edge.kit.bounds import PageLimit
from app.edge.kit.context import EdgeContext
from app.edge.partner import mappers
from app.edge.partner.params.query import RANGE_NAMES, Since, Until, moment, parameter_names
from app.edge.partner.representations import Collection, PartnerAuditEntry
from app.edge.partner.routes import MANAGE
from app.value_added.access import Viewer


@get("/audit", opt=MANAGE, media_type=MediaType.JSON)
async def audit_trail(
    request: Request[Any, Any, Any],
    viewer: NamedDependency[Viewer],
    edge: NamedDependency[EdgeContext],
    from_: Since = None,
    to: Until = None,
    limit: PageLimit = None,
    cursor: FromQuery[str | None] = None,
) -> Collection[PartnerAuditEntry]:
    """This app's audited writes, newest first; a bare `to` date includes that whole day."""
    since, until = moment("from", from_), moment("to", to, end_of_day=True)
    with parameter_names(RANGE_NAMES):
        page = await edge.services.creator.audit_trail(viewer, since, until, cursor, limit)
    return mappers.collection(
        request, [mappers.audit_entry(e) for e in page.items], page.next_cursor
    )


ROUTES = [audit_trail]
