"""Full-text search reads a page, not every match: SQLite's FTS5 table gets a prefix index.

Each query word is matched as a prefix. Without a prefix index FTS5 merges the doclists of every
term a word begins before returning the first row, so a search cost grew with the catalog; with
`prefix='1 2 ... 10'` such a word is one term read lazily in rowid order, and a page of the
newest matches stops after the page. The table is recreated (and rebuilt from tracks); its
triggers are unchanged. PostgreSQL is unchanged (its GIN expression index serves prefixes).

Revision ID: 0012_search_prefix_index
Revises: 0011_counts_by_visibility
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

from app.foundation.fts import SQLITE_FTS_DOWN, SQLITE_FTS_PREFIXED_UP, SQLITE_FTS_UP

revision: str = "0012_search_prefix_index"
down_revision: str | Sequence[str] | None = "0011_counts_by_visibility"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _recreate(statements: Sequence[str]) -> None:
    if op.get_context().dialect.name != "sqlite":
        return
    for statement in (*SQLITE_FTS_DOWN, *statements):
        op.execute(statement)


def upgrade() -> None:
    _recreate(SQLITE_FTS_PREFIXED_UP)


def downgrade() -> None:
    _recreate(SQLITE_FTS_UP)
