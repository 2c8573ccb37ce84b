"""Full-text catalogue search statements: a page of matching tracks a viewer may see in one
statement (PostgreSQL: at most two) whose cost does not grow with how many tracks match.

A text search lists its matches newest upload first: by track id, descending, the order the
full-text indexes deliver. SQLite reads the FTS5 matches in rowid order (the FTS5 table is the
outer loop of the join; its `prefix=` index makes each query word, a prefix, one lazily read
term instead of a merge of every term it begins) and stops at the page: matches are joined with
their track and policy and filtered one by one until `limit` rows are found. The keyset (the
last id) is a rowid bound FTS5 applies itself. PostgreSQL decides the plan itself instead of
trusting estimates (a prefix's matches are guessed at 2% of the tracks without enough
statistics): it walks the `WINDOW` newest ids below the cursor testing each track's stored
document (a common word fills the page there), then, when the page is short, reads the rest
walked (the window was dense enough) or through the GIN index, each policy probed by key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    UnaryExpression,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
    true,
)
from sqlalchemy.sql.operators import custom_op

from app.foundation.db import table_of
from app.foundation.policies.tables import TrackPolicyRow
from app.foundation.tracks.repository import SEARCH_DOCUMENT, postgres_match, tracks

_policies = table_of(TrackPolicyRow)

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


WINDOW = 8192
"""PostgreSQL: how many of the newest ids (below the cursor) a text search first walks, testing
each track's stored document (~1 us each): a word on more than ~0.6% of the tracks fills a
page there; otherwise what was found tells how to read the rest (`walk_pays`)."""
WALK_BUDGET = 4 * WINDOW
"""The most rows the rest of a page may be expected to cost walked; beyond, the GIN index."""


def walk_pays(found: int, need: int) -> bool:
    """Whether `need` more matches are cheaper walked than read through the GIN index, after
    the window held `found`: the walk is expected to read `need * WINDOW / found` rows; the
    index reads every track each word begins (a prefix match reads its whole posting lists),
    cheap only when the words are rare, which a window with few matches suggests."""
    return found > 0 and need * WINDOW <= found * WALK_BUDGET


def _walked(words: Sequence[str]) -> Any:
    """The text condition on the stored document, which the GIN index cannot serve (a cheap
    `coalesce`): the plan walks the primary key and tests each track (plan steering)."""
    return postgres_match(words, func.coalesce(SEARCH_DOCUMENT, literal_column("''::tsvector")))


def postgres_window(
    base: Select[Any], words: Sequence[str], after_id: int | None, limit: int
) -> Select[Any]:
    """Rows (floor, first, id, created_at): the window's lowest id and the table's first id,
    and `base`'s tracks (their text condition not yet in it) matching `words` among the
    `WINDOW` newest ids below `after_id` (or the newest), newest first, at most `limit`; one
    row with null id and created_at when none match."""
    upper = func.max(tracks.c.id) + 1 if after_id is None else literal(after_id)
    first = func.min(tracks.c.id).label("first")
    bounds = select((upper - WINDOW).label("floor"), first).subquery("bounds")
    hits = base.where(_walked(words), tracks.c.id >= bounds.c.floor)
    if after_id is not None:
        hits = hits.where(tracks.c.id < after_id)
    found = hits.order_by(tracks.c.id.desc()).limit(limit).lateral("hits")
    return (
        select(bounds.c.floor, bounds.c.first, found.c.id, found.c.created_at)
        .select_from(bounds.outerjoin(found, true()))
        .order_by(found.c.id.desc().nulls_last())
    )


def with_policy_probed(visible: Sequence[Any]) -> Any:
    """Tracks joined to a probe of their policy meeting `visible`, one track at a time (a
    LATERAL subquery with LIMIT 1 is never flattened): the few tracks the GIN index finds
    read their policies by primary key, whatever the planner guesses of a prefix's matches
    (without statistics for it, 2% of the tracks: a hash join reading every policy)."""
    probe = (
        select(literal_column("1"))
        .select_from(_policies)
        .where(_policies.c.track_id == tracks.c.id, *visible)
        .limit(1)
        .lateral("seen")
    )
    return tracks.join(probe, true())


def postgres_rest(
    base: Select[Any], words: Sequence[str], floor: int, limit: int, *, walk: bool
) -> Select[Any]:
    """`base`'s tracks matching `words` below `floor`, newest first, at most `limit`: walked
    down the primary key (`base` joined to policies), or found through the GIN index and
    sorted (`base` from `with_policy_probed`; `id + 0`: an order the primary key cannot give,
    so the planner does not walk it)."""
    below = base.where(tracks.c.id < floor)
    if walk:
        return below.where(_walked(words)).order_by(tracks.c.id.desc()).limit(limit)
    by_index = tracks.c.id + literal_column("0")
    return below.where(postgres_match(words)).order_by(by_index.desc()).limit(limit)
