"""Full-text catalogue search statements: a page of matching tracks a viewer may see in ONE
statement whose cost is bounded by the page, not by how many tracks match.

A text search lists its matches newest upload first: by track id, descending, the order the
full-text indexes deliver. SQLite reads the FTS5 matches in rowid order (the FTS5 table is the
outer loop of the join; its `prefix=` index makes each query word, a prefix, one lazily read
term instead of a merge of every term it begins) and stops at the page: matches are joined with
their track and policy and filtered one by one until `limit` rows are found. The keyset (the
last id) is a rowid bound FTS5 applies itself. PostgreSQL walks the same order and lets its
planner choose between the GIN index (few matches: find them all, keep the newest) and the
primary key walked backwards (many: stop at the page).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, Select, UnaryExpression, column, table
from sqlalchemy.sql.operators import custom_op

from app.foundation.tracks.repository import tracks

_fts = table("tracks_fts", column("rowid", Integer), column("tracks_fts"))


def unindexed(expression: Any) -> Any:
    """`+expression`: the same value, which SQLite will not use an index for (plan steering)."""
    return UnaryExpression(expression, operator=custom_op("+"), type_=expression.type)


def with_fts(source: Any) -> Any:
    """`source` (joined from tracks) joined to the FTS5 table, the FTS5 table first."""
    return _fts.join(source, tracks.c.id == _fts.c.rowid)


def sqlite_text_search(base: Select[Any], match: str, after_id: int | None, limit: int) -> Any:
    """`base` (id and created_at of filtered tracks, selected from `with_fts(...)`) narrowed
    to the FTS5 `match`, newest id first, after `after_id`, at most `limit` rows, read in the
    FTS5 table's order."""
    stmt = base.where(_fts.c.tracks_fts.match(match)).order_by(_fts.c.rowid.desc()).limit(limit)
    if after_id is not None:
        stmt = stmt.where(_fts.c.rowid < after_id)
    return stmt


def postgres_text_search(base: Select[Any], after_id: int | None, limit: int) -> Select[Any]:
    """`base` (id and created_at of tracks, its full-text condition included) newest id first,
    after `after_id`, at most `limit` rows."""
    if after_id is not None:
        base = base.where(tracks.c.id < after_id)
    return base.order_by(tracks.c.id.desc()).limit(limit)
