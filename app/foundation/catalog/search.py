"""Full-text catalogue search statements: a page of matching tracks a viewer may see in ONE
statement, planned so that neither database reads far more rows than a page.

SQLite computes the FTS5 matches once (a materialized CTE). With few matches it looks each up
and sorts them; with many it walks the (created_at, id) index newest first, probing the matches,
until the page is full: a few thousand index entries instead of a row lookup per match (sorting
every match of two common words cost ~3x the full-text lookup itself). The arm not chosen is
turned off by a LIMIT of 0, which SQLite checks before reading anything.

PostgreSQL takes the matches from the GIN expression index (a materialized CTE, so the planner
cannot prefer walking created_at while computing every row's tsvector), joined with their
policies, then sorted.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    CompoundSelect,
    Integer,
    Select,
    UnaryExpression,
    case,
    column,
    func,
    select,
    table,
    union_all,
)
from sqlalchemy.sql.operators import custom_op

from app.foundation.tracks.repository import tracks

FEW_MATCHES = 1000
"""Up to this many full-text matches, each is looked up and they are sorted; more: the index is
walked (both cost about the same here, a few milliseconds, on 1,000,000 tracks)."""

_fts = table("tracks_fts", column("rowid", Integer), column("tracks_fts"))


def unindexed(expression: Any) -> Any:
    """`+expression`: the same value, which SQLite will not use an index for (plan steering)."""
    return UnaryExpression(expression, operator=custom_op("+"), type_=expression.type)


def sqlite_text_search(base: Select[Any], match: str, limit: int) -> CompoundSelect[Any]:
    """`base` (id and created_at of filtered tracks) narrowed to the FTS5 `match`, newest first,
    at most `limit` rows."""
    matches = (
        select(_fts.c.rowid.label("id"))
        .where(_fts.c.tracks_fts.match(match))
        .cte("matches")
        .prefix_with("MATERIALIZED")
    )
    count = select(func.count()).select_from(matches).scalar_subquery()
    ids = select(matches.c.id)
    few = (
        base.where(tracks.c.id.in_(ids))
        .order_by(unindexed(tracks.c.created_at).desc(), unindexed(tracks.c.id).desc())
        .limit(case((count <= FEW_MATCHES, limit), else_=0))
        .subquery("few")
    )
    many = (
        base.where(unindexed(tracks.c.id).in_(ids))
        .order_by(tracks.c.created_at.desc(), tracks.c.id.desc())
        .limit(case((count > FEW_MATCHES, limit), else_=0))
        .subquery("many")
    )
    return union_all(select(*few.c), select(*many.c))


def postgres_text_search(base: Select[Any], limit: int) -> Select[Any]:
    """`base` (id and created_at of tracks, its full-text condition included) newest first, at
    most `limit` rows, its matches found first (through the GIN index)."""
    matches = base.cte("matches").prefix_with("MATERIALIZED")
    return (
        select(matches.c.id, matches.c.created_at)
        .order_by(matches.c.created_at.desc(), matches.c.id.desc())
        .limit(limit)
    )
