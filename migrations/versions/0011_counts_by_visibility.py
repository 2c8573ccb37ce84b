"""Counts per visibility class: public (and private) columns beside the owner's, scheduled
releases, and a backfill of every user's and playlist's counters from the tables.

Revision ID: 0011_counts_by_visibility
Revises: 0010_soundcloud_range_ids
Create Date: 2026-11-30
"""

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_counts_by_visibility"
down_revision: str | Sequence[str] | None = "0010_soundcloud_range_ids"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
USER_COLUMNS = (
    "public_tracks", "private_tracks", "public_playlists", "public_likes",
    "public_playlist_likes", "public_reposts", "public_comments", "pending",
)  # fmt: skip
PLAYLIST_COLUMNS = ("public_tracks", "public_duration_ms", "pending")

RECOUNT = (
    "UPDATE user_counters SET tracks = (SELECT COUNT(*) FROM tracks t JOIN track_policies p ON p.track_id = t.id WHERE t.user_id = user_counters.user_id), public_tracks = (SELECT COUNT(*) FROM tracks t JOIN track_policies p ON p.track_id = t.id WHERE t.user_id = user_counters.user_id AND (p.sharing = 'public' AND p.taken_down_at IS NULL AND (p.release_at IS NULL OR p.release_at <= :now))), private_tracks = (SELECT COUNT(*) FROM tracks t JOIN track_policies p ON p.track_id = t.id WHERE t.user_id = user_counters.user_id AND p.sharing = 'private'), likes = (SELECT COUNT(*) FROM track_likes l JOIN tracks t ON t.id = l.track_id JOIN track_policies p ON p.track_id = t.id WHERE l.user_id = user_counters.user_id AND ((p.sharing = 'public' AND p.taken_down_at IS NULL AND (p.release_at IS NULL OR p.release_at <= :now)) OR t.user_id = l.user_id)), public_likes = (SELECT COUNT(*) FROM track_likes l JOIN tracks t ON t.id = l.track_id JOIN track_policies p ON p.track_id = t.id WHERE l.user_id = user_counters.user_id AND (p.sharing = 'public' AND p.taken_down_at IS NULL AND (p.release_at IS NULL OR p.release_at <= :now))), reposts = (SELECT COUNT(*) FROM track_reposts r JOIN tracks t ON t.id = r.track_id JOIN track_policies p ON p.track_id = t.id WHERE r.user_id = user_counters.user_id AND ((p.sharing = 'public' AND p.taken_down_at IS NULL AND (p.release_at IS NULL OR p.release_at <= :now)) OR t.user_id = r.user_id)) + (SELECT COUNT(*) FROM playlist_reposts s JOIN playlists pl ON pl.id = s.playlist_id WHERE s.user_id = user_counters.user_id AND (pl.sharing = 'public' OR pl.user_id = s.user_id)), public_reposts = (SELECT COUNT(*) FROM track_reposts r JOIN tracks t ON t.id = r.track_id JOIN track_policies p ON p.track_id = t.id WHERE r.user_id = user_counters.user_id AND (p.sharing = 'public' AND p.taken_down_at IS NULL AND (p.release_at IS NULL OR p.release_at <= :now))) + (SELECT COUNT(*) FROM playlist_reposts s JOIN playlists pl ON pl.id = s.playlist_id WHERE s.user_id = user_counters.user_id AND pl.sharing = 'public'), comments = (SELECT COUNT(*) FROM comments c JOIN tracks t ON t.id = c.track_id JOIN track_policies p ON p.track_id = t.id WHERE c.user_id = user_counters.user_id AND ((p.sharing = 'public' AND p.taken_down_at IS NULL AND (p.release_at IS NULL OR p.release_at <= :now)) OR t.user_id = c.user_id)), public_comments = (SELECT COUNT(*) FROM comments c JOIN tracks t ON t.id = c.track_id JOIN track_policies p ON p.track_id = t.id WHERE c.user_id = user_counters.user_id AND (p.sharing = 'public' AND p.taken_down_at IS NULL AND (p.release_at IS NULL OR p.release_at <= :now))), playlists = (SELECT COUNT(*) FROM playlists pl WHERE pl.user_id = user_counters.user_id), public_playlists = (SELECT COUNT(*) FROM playlists pl WHERE pl.user_id = user_counters.user_id AND pl.sharing = 'public'), playlist_likes = (SELECT COUNT(*) FROM playlist_likes k JOIN playlists pl ON pl.id = k.playlist_id WHERE k.user_id = user_counters.user_id AND (pl.sharing = 'public' OR pl.user_id = k.user_id)), public_playlist_likes = (SELECT COUNT(*) FROM playlist_likes k JOIN playlists pl ON pl.id = k.playlist_id WHERE k.user_id = user_counters.user_id AND pl.sharing = 'public'), pending = 0",
    "UPDATE playlist_counters SET tracks = (SELECT COUNT(*) FROM playlist_entries e JOIN playlists pl ON pl.id = e.playlist_id JOIN tracks t ON t.id = e.track_id JOIN track_policies p ON p.track_id = t.id WHERE e.playlist_id = playlist_counters.playlist_id AND ((p.sharing = 'public' AND p.taken_down_at IS NULL AND (p.release_at IS NULL OR p.release_at <= :now)) OR t.user_id = pl.user_id)), duration_ms = (SELECT COALESCE(SUM(t.duration_ms), 0) FROM playlist_entries e JOIN playlists pl ON pl.id = e.playlist_id JOIN tracks t ON t.id = e.track_id JOIN track_policies p ON p.track_id = t.id WHERE e.playlist_id = playlist_counters.playlist_id AND ((p.sharing = 'public' AND p.taken_down_at IS NULL AND (p.release_at IS NULL OR p.release_at <= :now)) OR t.user_id = pl.user_id)), public_tracks = (SELECT COUNT(*) FROM playlist_entries e JOIN playlists pl ON pl.id = e.playlist_id JOIN tracks t ON t.id = e.track_id JOIN track_policies p ON p.track_id = t.id WHERE e.playlist_id = playlist_counters.playlist_id AND (p.sharing = 'public' AND p.taken_down_at IS NULL AND (p.release_at IS NULL OR p.release_at <= :now))), public_duration_ms = (SELECT COALESCE(SUM(t.duration_ms), 0) FROM playlist_entries e JOIN playlists pl ON pl.id = e.playlist_id JOIN tracks t ON t.id = e.track_id JOIN track_policies p ON p.track_id = t.id WHERE e.playlist_id = playlist_counters.playlist_id AND (p.sharing = 'public' AND p.taken_down_at IS NULL AND (p.release_at IS NULL OR p.release_at <= :now))), pending = 0",
    "DELETE FROM counter_releases",
    "INSERT INTO counter_releases (track_id, entity, entity_id, name, release_at, delta) SELECT t.id, 'user', t.user_id, 'public_tracks', p.release_at, 1 FROM tracks t JOIN track_policies p ON p.track_id = t.id WHERE (p.sharing = 'public' AND p.taken_down_at IS NULL AND p.release_at > :now)",
    "INSERT INTO counter_releases (track_id, entity, entity_id, name, release_at, delta) SELECT t.id, 'user', l.user_id, 'public_likes', p.release_at, COUNT(*) FROM track_likes l JOIN tracks t ON t.id = l.track_id JOIN track_policies p ON p.track_id = t.id WHERE (p.sharing = 'public' AND p.taken_down_at IS NULL AND p.release_at > :now) GROUP BY t.id, l.user_id, p.release_at, t.user_id",
    "INSERT INTO counter_releases (track_id, entity, entity_id, name, release_at, delta) SELECT t.id, 'user', l.user_id, 'likes', p.release_at, COUNT(*) FROM track_likes l JOIN tracks t ON t.id = l.track_id JOIN track_policies p ON p.track_id = t.id WHERE (p.sharing = 'public' AND p.taken_down_at IS NULL AND p.release_at > :now) GROUP BY t.id, l.user_id, p.release_at, t.user_id HAVING t.user_id <> l.user_id",
    "INSERT INTO counter_releases (track_id, entity, entity_id, name, release_at, delta) SELECT t.id, 'user', r.user_id, 'public_reposts', p.release_at, COUNT(*) FROM track_reposts r JOIN tracks t ON t.id = r.track_id JOIN track_policies p ON p.track_id = t.id WHERE (p.sharing = 'public' AND p.taken_down_at IS NULL AND p.release_at > :now) GROUP BY t.id, r.user_id, p.release_at, t.user_id",
    "INSERT INTO counter_releases (track_id, entity, entity_id, name, release_at, delta) SELECT t.id, 'user', r.user_id, 'reposts', p.release_at, COUNT(*) FROM track_reposts r JOIN tracks t ON t.id = r.track_id JOIN track_policies p ON p.track_id = t.id WHERE (p.sharing = 'public' AND p.taken_down_at IS NULL AND p.release_at > :now) GROUP BY t.id, r.user_id, p.release_at, t.user_id HAVING t.user_id <> r.user_id",
    "INSERT INTO counter_releases (track_id, entity, entity_id, name, release_at, delta) SELECT t.id, 'user', c.user_id, 'public_comments', p.release_at, COUNT(*) FROM comments c JOIN tracks t ON t.id = c.track_id JOIN track_policies p ON p.track_id = t.id WHERE (p.sharing = 'public' AND p.taken_down_at IS NULL AND p.release_at > :now) GROUP BY t.id, c.user_id, p.release_at, t.user_id",
    "INSERT INTO counter_releases (track_id, entity, entity_id, name, release_at, delta) SELECT t.id, 'user', c.user_id, 'comments', p.release_at, COUNT(*) FROM comments c JOIN tracks t ON t.id = c.track_id JOIN track_policies p ON p.track_id = t.id WHERE (p.sharing = 'public' AND p.taken_down_at IS NULL AND p.release_at > :now) GROUP BY t.id, c.user_id, p.release_at, t.user_id HAVING t.user_id <> c.user_id",
    "INSERT INTO counter_releases (track_id, entity, entity_id, name, release_at, delta) SELECT t.id, 'playlist', e.playlist_id, 'public_tracks', p.release_at, COUNT(*) FROM playlist_entries e JOIN playlists pl ON pl.id = e.playlist_id JOIN tracks t ON t.id = e.track_id JOIN track_policies p ON p.track_id = t.id WHERE (p.sharing = 'public' AND p.taken_down_at IS NULL AND p.release_at > :now) GROUP BY t.id, e.playlist_id, p.release_at, t.duration_ms, t.user_id, pl.user_id",
    "INSERT INTO counter_releases (track_id, entity, entity_id, name, release_at, delta) SELECT t.id, 'playlist', e.playlist_id, 'tracks', p.release_at, COUNT(*) FROM playlist_entries e JOIN playlists pl ON pl.id = e.playlist_id JOIN tracks t ON t.id = e.track_id JOIN track_policies p ON p.track_id = t.id WHERE (p.sharing = 'public' AND p.taken_down_at IS NULL AND p.release_at > :now) GROUP BY t.id, e.playlist_id, p.release_at, t.duration_ms, t.user_id, pl.user_id HAVING t.user_id <> pl.user_id",
    "INSERT INTO counter_releases (track_id, entity, entity_id, name, release_at, delta) SELECT t.id, 'playlist', e.playlist_id, 'public_duration_ms', p.release_at, COUNT(*) * t.duration_ms FROM playlist_entries e JOIN playlists pl ON pl.id = e.playlist_id JOIN tracks t ON t.id = e.track_id JOIN track_policies p ON p.track_id = t.id WHERE (p.sharing = 'public' AND p.taken_down_at IS NULL AND p.release_at > :now) GROUP BY t.id, e.playlist_id, p.release_at, t.duration_ms, t.user_id, pl.user_id",
    "INSERT INTO counter_releases (track_id, entity, entity_id, name, release_at, delta) SELECT t.id, 'playlist', e.playlist_id, 'duration_ms', p.release_at, COUNT(*) * t.duration_ms FROM playlist_entries e JOIN playlists pl ON pl.id = e.playlist_id JOIN tracks t ON t.id = e.track_id JOIN track_policies p ON p.track_id = t.id WHERE (p.sharing = 'public' AND p.taken_down_at IS NULL AND p.release_at > :now) GROUP BY t.id, e.playlist_id, p.release_at, t.duration_ms, t.user_id, pl.user_id HAVING t.user_id <> pl.user_id",
    "UPDATE user_counters SET pending = 1 WHERE user_id IN (SELECT entity_id FROM counter_releases WHERE entity = 'user')",
    "UPDATE playlist_counters SET pending = 1 WHERE playlist_id IN (SELECT entity_id FROM counter_releases WHERE entity = 'playlist')",
)
"""A frozen copy of app/foundation/counters/recount.py at this revision (the backfill)."""


def upgrade() -> None:
    for table, columns in (
        ("user_counters", USER_COLUMNS),
        ("playlist_counters", PLAYLIST_COLUMNS),
    ):
        with op.batch_alter_table(table) as batch:
            for name in columns:
                batch.add_column(
                    sa.Column(name, sa.BigInteger(), server_default="0", nullable=False)
                )
    op.create_table(
        "counter_releases",
        sa.Column("track_id", ID, nullable=False),
        sa.Column("entity", sa.String(length=10), nullable=False),
        sa.Column("entity_id", ID, nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("release_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delta", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["track_id"],
            ["tracks.id"],
            name=op.f("fk_counter_releases_track_id_tracks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "track_id", "entity", "entity_id", "name", name=op.f("pk_counter_releases")
        ),
    )
    op.create_index(
        "ix_counter_releases_entity", "counter_releases", ["entity", "entity_id"], unique=False
    )
    op.create_index(
        op.f("ix_counter_releases_release_at"), "counter_releases", ["release_at"], unique=False
    )
    bind = op.get_bind()
    now = dt.datetime.now(dt.UTC)
    if bind.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)
    for statement in RECOUNT:
        stmt = sa.text(statement)
        if ":now" in statement:
            stmt = stmt.bindparams(sa.bindparam("now", now, type_=sa.DateTime(timezone=True)))
        bind.execute(stmt)


def downgrade() -> None:
    op.drop_index(op.f("ix_counter_releases_release_at"), table_name="counter_releases")
    op.drop_index("ix_counter_releases_entity", table_name="counter_releases")
    op.drop_table("counter_releases")
    for table, columns in (
        ("user_counters", USER_COLUMNS),
        ("playlist_counters", PLAYLIST_COLUMNS),
    ):
        with op.batch_alter_table(table) as batch:
            for name in reversed(columns):
                batch.drop_column(name)
