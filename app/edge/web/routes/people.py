"""Lists of people (likers, reposters): user refs from a VAS, profiles in one batch."""

from __future__ import annotations

from typing import Any

from litestar import Request

from app.edge.kit.context import EdgeContext
from app.edge.web.params import collection
from app.edge.web.shapes import Render
from app.edge.web.users_repr import USER
from app.value_added.access import Viewer
from app.value_added.common.cursor import Page
from app.value_added.tracks import UserRef


async def people_page(
    request: Request[Any, Any, Any],
    edge: EdgeContext,
    viewer: Viewer,
    page: Page[UserRef],
    fields: str | None,
) -> dict[str, Any]:
    selection = USER.select(fields)
    ids = [ref.user_id for ref in page.items]
    users = {u.id: u for u in await edge.services.users.get_many(viewer, ids, selection.mask)}
    ctx = Render(request=request)
    items = [USER.render(users[i], selection, ctx) for i in ids if i in users]
    return collection(request, items, page.next_cursor)
