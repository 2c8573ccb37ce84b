"""PostgreSQL text search reads a stored document: tracks.search_document, a generated tsvector.

A page of a common word's matches is found by walking the primary key backwards and testing each
track; with only an expression index each test recomputed `to_tsvector` over the track's text
(~30 us), so a page cost tens to hundreds of ms and a rare word's walk hit the statement timeout.
The document is now a stored generated column (one `@@` test: ~1 us), and the GIN index is on
that column (same name, same matches). Scans of tracks are not parallel: on two cores a
walk that stops after a page paid 40-80 ms starting workers. The table is rewritten once (1,000,000 tracks: about a
minute; ~140 bytes more per track). SQLite is unchanged (its FTS5 table serves the search).

Revision ID: 0013_pgsearch_stored_document
Revises: 0012_search_prefix_index
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013_pgsearch_stored_document"
down_revision: str | Sequence[str] | None = "0012_search_prefix_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DOCUMENT = (
    "to_tsvector('simple', coalesce(title,'') || ' ' || coalesce(tag_list,'') || ' ' "
    "|| coalesce(genre,'') || ' ' || coalesce(description,''))"
)
"""The document migration 0001 indexed (and queries matched) as an expression."""


def _postgresql() -> bool:
    return op.get_context().dialect.name == "postgresql"


def upgrade() -> None:
    if not _postgresql():
        return
    op.execute("DROP INDEX IF EXISTS ix_tracks_search")
    op.execute(
        f"ALTER TABLE tracks ADD COLUMN search_document tsvector GENERATED ALWAYS AS ({DOCUMENT}) STORED"
    )
    op.execute("CREATE INDEX ix_tracks_search ON tracks USING gin (search_document)")
    op.execute("ALTER TABLE tracks SET (parallel_workers = 0)")


def downgrade() -> None:
    if not _postgresql():
        return
    op.execute("ALTER TABLE tracks RESET (parallel_workers)")
    op.execute("DROP INDEX IF EXISTS ix_tracks_search")
    op.execute("ALTER TABLE tracks DROP COLUMN IF EXISTS search_document")
    op.execute(f"CREATE INDEX ix_tracks_search ON tracks USING gin ({DOCUMENT})")
