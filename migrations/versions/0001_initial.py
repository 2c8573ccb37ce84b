"""Initial schema: every foundation table, plus full-text search over tracks.

Full-text search is dialect-specific and lives only here (the table metadata does not know it;
app.foundation.migrations_state.include_object hides it from autogenerate):
- SQLite: the external-content FTS5 table tracks_fts, kept in sync by triggers on tracks;
- PostgreSQL: the GIN expression index ix_tracks_search over to_tsvector('simple', ...).

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.foundation.fts import SQLITE_FTS_DOWN, SQLITE_FTS_UP

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Queries must use this exact expression for PostgreSQL to use the index.
POSTGRES_SEARCH_DOCUMENT = (
    "to_tsvector('simple', coalesce(title,'') || ' ' || coalesce(tag_list,'') || ' ' "
    "|| coalesce(genre,'') || ' ' || coalesce(description,''))"
)


def _dialect() -> str:
    return op.get_context().dialect.name


def _create_full_text_search() -> None:
    if _dialect() == "sqlite":
        for statement in SQLITE_FTS_UP:
            op.execute(statement)
    elif _dialect() == "postgresql":
        op.create_index(
            "ix_tracks_search",
            "tracks",
            [sa.text(POSTGRES_SEARCH_DOCUMENT)],
            postgresql_using="gin",
        )


def _drop_full_text_search() -> None:
    if _dialect() == "sqlite":
        for statement in SQLITE_FTS_DOWN:
            op.execute(statement)
    elif _dialect() == "postgresql":
        op.drop_index("ix_tracks_search", table_name="tracks", if_exists=True)


def upgrade() -> None:
    op.create_table(
        "artworks",
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_artworks")),
    )
    op.create_table(
        "users",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("permalink", sa.String(length=64), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("plan", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("avatar_key", sa.String(length=128), nullable=True),
        sa.Column("website", sa.String(length=255), nullable=False),
        sa.Column("website_title", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("permalink", name=op.f("uq_users_permalink")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_index("ix_users_created_at_id", "users", ["created_at", "id"], unique=False)
    op.create_table(
        "apps",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("client_secret_hash", sa.String(length=128), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("owner_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("redirect_uris", sa.JSON(), nullable=False),
        sa.Column("bffs", sa.JSON(), nullable=False),
        sa.Column("entitlements", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_apps_owner_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_apps")),
        sa.UniqueConstraint("client_id", name=op.f("uq_apps_client_id")),
        sa.UniqueConstraint("name", name=op.f("uq_apps_name")),
    )
    op.create_index(op.f("ix_apps_owner_id"), "apps", ["owner_id"], unique=False)
    op.create_table(
        "follows",
        sa.Column(
            "follower_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "followee_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["followee_id"],
            ["users.id"],
            name=op.f("fk_follows_followee_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["follower_id"],
            ["users.id"],
            name=op.f("fk_follows_follower_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("follower_id", "followee_id", name=op.f("pk_follows")),
    )
    op.create_index(
        "ix_follows_followee_id_created_at", "follows", ["followee_id", "created_at"], unique=False
    )
    op.create_index(
        "ix_follows_follower_id_created_at", "follows", ["follower_id", "created_at"], unique=False
    )
    op.create_table(
        "playlists",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("permalink", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("set_type", sa.String(length=16), nullable=False),
        sa.Column("sharing", sa.String(length=16), nullable=False),
        sa.Column("secret_token", sa.String(length=32), nullable=False),
        sa.Column("genre", sa.String(length=100), nullable=False),
        sa.Column("tag_list", sa.String(length=500), nullable=False),
        sa.Column("label_name", sa.String(length=255), nullable=False),
        sa.Column("release_date", sa.Date(), nullable=True),
        sa.Column("artwork_key", sa.String(length=128), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_playlists_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_playlists")),
        sa.UniqueConstraint("user_id", "permalink", name=op.f("uq_playlists_user_id_permalink")),
    )
    op.create_index("ix_playlists_created_at_id", "playlists", ["created_at", "id"], unique=False)
    op.create_index(
        "ix_playlists_user_id_created_at_id",
        "playlists",
        ["user_id", "created_at", "id"],
        unique=False,
    )
    op.create_table(
        "tracks",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("permalink", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("genre", sa.String(length=100), nullable=False),
        sa.Column("tag_list", sa.String(length=500), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("bpm", sa.Float(), nullable=True),
        sa.Column("key_signature", sa.String(length=16), nullable=False),
        sa.Column("isrc", sa.String(length=16), nullable=True),
        sa.Column("license", sa.String(length=32), nullable=False),
        sa.Column("label_name", sa.String(length=255), nullable=False),
        sa.Column("purchase_url", sa.String(length=512), nullable=False),
        sa.Column("purchase_title", sa.String(length=255), nullable=False),
        sa.Column("release_date", sa.Date(), nullable=True),
        sa.Column("artwork_key", sa.String(length=128), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_tracks_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracks")),
        sa.UniqueConstraint("user_id", "permalink", name=op.f("uq_tracks_user_id_permalink")),
    )
    op.create_index("ix_tracks_bpm", "tracks", ["bpm"], unique=False)
    op.create_index("ix_tracks_created_at_id", "tracks", ["created_at", "id"], unique=False)
    op.create_index("ix_tracks_duration_ms", "tracks", ["duration_ms"], unique=False)
    op.create_index("ix_tracks_genre_created_at", "tracks", ["genre", "created_at"], unique=False)
    op.create_index("ix_tracks_isrc", "tracks", ["isrc"], unique=False)
    op.create_index(
        "ix_tracks_user_id_created_at_id", "tracks", ["user_id", "created_at", "id"], unique=False
    )
    op.create_table(
        "user_counters",
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("followers", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("followings", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("tracks", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("playlists", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("likes", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("playlist_likes", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("reposts", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("comments", sa.BigInteger(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_user_counters_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_user_counters")),
    )
    op.create_table(
        "user_web_profiles",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("service", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("url", sa.String(length=512), nullable=False),
        sa.Column("username", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_user_web_profiles_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_web_profiles")),
    )
    op.create_index(
        op.f("ix_user_web_profiles_user_id"), "user_web_profiles", ["user_id"], unique=False
    )
    op.create_table(
        "authorization_codes",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("app_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("redirect_uri", sa.String(length=512), nullable=False),
        sa.Column("code_challenge", sa.String(length=128), nullable=False),
        sa.Column("code_challenge_method", sa.String(length=8), nullable=False),
        sa.Column("scopes", sa.String(length=255), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["app_id"],
            ["apps.id"],
            name=op.f("fk_authorization_codes_app_id_apps"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_authorization_codes_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_authorization_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_authorization_codes_code_hash")),
    )
    op.create_index(
        op.f("ix_authorization_codes_app_id"), "authorization_codes", ["app_id"], unique=False
    )
    op.create_index(
        op.f("ix_authorization_codes_user_id"), "authorization_codes", ["user_id"], unique=False
    )
    op.create_table(
        "comments",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("track_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("timestamp_ms", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["track_id"],
            ["tracks.id"],
            name=op.f("fk_comments_track_id_tracks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_comments_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
    )
    op.create_index(
        "ix_comments_track_id_created_at_id",
        "comments",
        ["track_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_comments_user_id_created_at_id",
        "comments",
        ["user_id", "created_at", "id"],
        unique=False,
    )
    op.create_table(
        "downloads",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("track_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("app_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("territory", sa.String(length=2), nullable=True),
        sa.Column("downloaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["app_id"], ["apps.id"], name=op.f("fk_downloads_app_id_apps"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["track_id"],
            ["tracks.id"],
            name=op.f("fk_downloads_track_id_tracks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_downloads_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_downloads")),
    )
    op.create_index(
        "ix_downloads_track_id_downloaded_at",
        "downloads",
        ["track_id", "downloaded_at"],
        unique=False,
    )
    op.create_table(
        "media",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("track_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("original_key", sa.String(length=128), nullable=True),
        sa.Column("original_filename", sa.String(length=255), nullable=False),
        sa.Column("format", sa.String(length=32), nullable=False),
        sa.Column("content_type", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("bitrate", sa.Integer(), nullable=False),
        sa.Column("sample_rate", sa.Integer(), nullable=False),
        sa.Column("channels", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_reason", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["track_id"], ["tracks.id"], name=op.f("fk_media_track_id_tracks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media")),
        sa.UniqueConstraint("track_id", name=op.f("uq_media_track_id")),
    )
    op.create_table(
        "partner_grants",
        sa.Column("app_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["app_id"], ["apps.id"], name=op.f("fk_partner_grants_app_id_apps"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_partner_grants_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("app_id", "user_id", name=op.f("pk_partner_grants")),
    )
    op.create_index("ix_partner_grants_user_id", "partner_grants", ["user_id"], unique=False)
    op.create_table(
        "playlist_counters",
        sa.Column(
            "playlist_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("likes", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("reposts", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("tracks", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("duration_ms", sa.BigInteger(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["playlist_id"],
            ["playlists.id"],
            name=op.f("fk_playlist_counters_playlist_id_playlists"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("playlist_id", name=op.f("pk_playlist_counters")),
    )
    op.create_table(
        "playlist_entries",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "playlist_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("track_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["playlist_id"],
            ["playlists.id"],
            name=op.f("fk_playlist_entries_playlist_id_playlists"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["track_id"],
            ["tracks.id"],
            name=op.f("fk_playlist_entries_track_id_tracks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_playlist_entries")),
    )
    op.create_index(
        "ix_playlist_entries_playlist_id_position",
        "playlist_entries",
        ["playlist_id", "position"],
        unique=False,
    )
    op.create_index("ix_playlist_entries_track_id", "playlist_entries", ["track_id"], unique=False)
    op.create_table(
        "playlist_likes",
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "playlist_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["playlist_id"],
            ["playlists.id"],
            name=op.f("fk_playlist_likes_playlist_id_playlists"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_playlist_likes_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "playlist_id", name=op.f("pk_playlist_likes")),
    )
    op.create_index(
        "ix_playlist_likes_playlist_id_created_at",
        "playlist_likes",
        ["playlist_id", "created_at"],
        unique=False,
    )
    op.create_index(
        "ix_playlist_likes_user_id_created_at",
        "playlist_likes",
        ["user_id", "created_at"],
        unique=False,
    )
    op.create_table(
        "playlist_reposts",
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "playlist_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["playlist_id"],
            ["playlists.id"],
            name=op.f("fk_playlist_reposts_playlist_id_playlists"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_playlist_reposts_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "playlist_id", name=op.f("pk_playlist_reposts")),
    )
    op.create_index(
        "ix_playlist_reposts_playlist_id_created_at",
        "playlist_reposts",
        ["playlist_id", "created_at"],
        unique=False,
    )
    op.create_index(
        "ix_playlist_reposts_user_id_created_at",
        "playlist_reposts",
        ["user_id", "created_at"],
        unique=False,
    )
    op.create_table(
        "plays",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("track_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("app_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("territory", sa.String(length=2), nullable=True),
        sa.Column("played_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["app_id"], ["apps.id"], name=op.f("fk_plays_app_id_apps"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["track_id"], ["tracks.id"], name=op.f("fk_plays_track_id_tracks"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_plays_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plays")),
    )
    op.create_index("ix_plays_track_id_played_at", "plays", ["track_id", "played_at"], unique=False)
    op.create_index(
        "ix_plays_user_id_played_at_id", "plays", ["user_id", "played_at", "id"], unique=False
    )
    op.create_table(
        "tokens",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("access_hash", sa.String(length=64), nullable=False),
        sa.Column("refresh_hash", sa.String(length=64), nullable=True),
        sa.Column("family", sa.String(length=32), nullable=False),
        sa.Column("app_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("scopes", sa.String(length=255), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("refresh_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refresh_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["app_id"], ["apps.id"], name=op.f("fk_tokens_app_id_apps"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tokens")),
        sa.UniqueConstraint("access_hash", name=op.f("uq_tokens_access_hash")),
        sa.UniqueConstraint("refresh_hash", name=op.f("uq_tokens_refresh_hash")),
    )
    op.create_index(op.f("ix_tokens_app_id"), "tokens", ["app_id"], unique=False)
    op.create_index(op.f("ix_tokens_family"), "tokens", ["family"], unique=False)
    op.create_index(op.f("ix_tokens_user_id"), "tokens", ["user_id"], unique=False)
    op.create_table(
        "track_counters",
        sa.Column("track_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("likes", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("reposts", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("plays", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("comments", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("downloads", sa.BigInteger(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["track_id"],
            ["tracks.id"],
            name=op.f("fk_track_counters_track_id_tracks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("track_id", name=op.f("pk_track_counters")),
    )
    op.create_table(
        "track_likes",
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("track_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["track_id"],
            ["tracks.id"],
            name=op.f("fk_track_likes_track_id_tracks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_track_likes_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "track_id", name=op.f("pk_track_likes")),
    )
    op.create_index(
        "ix_track_likes_track_id_created_at",
        "track_likes",
        ["track_id", "created_at"],
        unique=False,
    )
    op.create_index(
        "ix_track_likes_user_id_created_at", "track_likes", ["user_id", "created_at"], unique=False
    )
    op.create_table(
        "track_policies",
        sa.Column("track_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("sharing", sa.String(length=16), nullable=False),
        sa.Column("secret_token", sa.String(length=32), nullable=False),
        sa.Column("release_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("territories", sa.JSON(), nullable=True),
        sa.Column("streamable", sa.Boolean(), nullable=False),
        sa.Column("downloadable", sa.Boolean(), nullable=False),
        sa.Column("commentable", sa.Boolean(), nullable=False),
        sa.Column("monetization", sa.String(length=32), nullable=False),
        sa.Column("taken_down_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("takedown_reason", sa.String(length=255), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["track_id"],
            ["tracks.id"],
            name=op.f("fk_track_policies_track_id_tracks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("track_id", name=op.f("pk_track_policies")),
    )
    op.create_index("ix_track_policies_sharing", "track_policies", ["sharing"], unique=False)
    op.create_table(
        "track_reposts",
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("track_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["track_id"],
            ["tracks.id"],
            name=op.f("fk_track_reposts_track_id_tracks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_track_reposts_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "track_id", name=op.f("pk_track_reposts")),
    )
    op.create_index(
        "ix_track_reposts_track_id_created_at",
        "track_reposts",
        ["track_id", "created_at"],
        unique=False,
    )
    op.create_index(
        "ix_track_reposts_user_id_created_at",
        "track_reposts",
        ["user_id", "created_at"],
        unique=False,
    )
    op.create_table(
        "media_jobs",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("media_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("locked_by", sa.String(length=64), nullable=True),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["media_id"],
            ["media.id"],
            name=op.f("fk_media_jobs_media_id_media"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_jobs")),
    )
    op.create_index("ix_media_jobs_media_id", "media_jobs", ["media_id"], unique=False)
    op.create_index(
        "ix_media_jobs_status_locked_until", "media_jobs", ["status", "locked_until"], unique=False
    )
    op.create_table(
        "transcodings",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("media_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("storage_key", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=64), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["media_id"],
            ["media.id"],
            name=op.f("fk_transcodings_media_id_media"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transcodings")),
        sa.UniqueConstraint("media_id", "kind", name=op.f("uq_transcodings_media_id_kind")),
    )
    _create_full_text_search()


def downgrade() -> None:
    _drop_full_text_search()
    op.drop_table("transcodings")
    op.drop_index("ix_media_jobs_status_locked_until", table_name="media_jobs")
    op.drop_index("ix_media_jobs_media_id", table_name="media_jobs")
    op.drop_table("media_jobs")
    op.drop_index("ix_track_reposts_user_id_created_at", table_name="track_reposts")
    op.drop_index("ix_track_reposts_track_id_created_at", table_name="track_reposts")
    op.drop_table("track_reposts")
    op.drop_index("ix_track_policies_sharing", table_name="track_policies")
    op.drop_table("track_policies")
    op.drop_index("ix_track_likes_user_id_created_at", table_name="track_likes")
    op.drop_index("ix_track_likes_track_id_created_at", table_name="track_likes")
    op.drop_table("track_likes")
    op.drop_table("track_counters")
    op.drop_index(op.f("ix_tokens_user_id"), table_name="tokens")
    op.drop_index(op.f("ix_tokens_family"), table_name="tokens")
    op.drop_index(op.f("ix_tokens_app_id"), table_name="tokens")
    op.drop_table("tokens")
    op.drop_index("ix_plays_user_id_played_at_id", table_name="plays")
    op.drop_index("ix_plays_track_id_played_at", table_name="plays")
    op.drop_table("plays")
    op.drop_index("ix_playlist_reposts_user_id_created_at", table_name="playlist_reposts")
    op.drop_index("ix_playlist_reposts_playlist_id_created_at", table_name="playlist_reposts")
    op.drop_table("playlist_reposts")
    op.drop_index("ix_playlist_likes_user_id_created_at", table_name="playlist_likes")
    op.drop_index("ix_playlist_likes_playlist_id_created_at", table_name="playlist_likes")
    op.drop_table("playlist_likes")
    op.drop_index("ix_playlist_entries_track_id", table_name="playlist_entries")
    op.drop_index("ix_playlist_entries_playlist_id_position", table_name="playlist_entries")
    op.drop_table("playlist_entries")
    op.drop_table("playlist_counters")
    op.drop_index("ix_partner_grants_user_id", table_name="partner_grants")
    op.drop_table("partner_grants")
    op.drop_table("media")
    op.drop_index("ix_downloads_track_id_downloaded_at", table_name="downloads")
    op.drop_table("downloads")
    op.drop_index("ix_comments_user_id_created_at_id", table_name="comments")
    op.drop_index("ix_comments_track_id_created_at_id", table_name="comments")
    op.drop_table("comments")
    op.drop_index(op.f("ix_authorization_codes_user_id"), table_name="authorization_codes")
    op.drop_index(op.f("ix_authorization_codes_app_id"), table_name="authorization_codes")
    op.drop_table("authorization_codes")
    op.drop_index(op.f("ix_user_web_profiles_user_id"), table_name="user_web_profiles")
    op.drop_table("user_web_profiles")
    op.drop_table("user_counters")
    op.drop_index("ix_tracks_user_id_created_at_id", table_name="tracks")
    op.drop_index("ix_tracks_isrc", table_name="tracks")
    op.drop_index("ix_tracks_genre_created_at", table_name="tracks")
    op.drop_index("ix_tracks_duration_ms", table_name="tracks")
    op.drop_index("ix_tracks_created_at_id", table_name="tracks")
    op.drop_index("ix_tracks_bpm", table_name="tracks")
    op.drop_table("tracks")
    op.drop_index("ix_playlists_user_id_created_at_id", table_name="playlists")
    op.drop_index("ix_playlists_created_at_id", table_name="playlists")
    op.drop_table("playlists")
    op.drop_index("ix_follows_follower_id_created_at", table_name="follows")
    op.drop_index("ix_follows_followee_id_created_at", table_name="follows")
    op.drop_table("follows")
    op.drop_index(op.f("ix_apps_owner_id"), table_name="apps")
    op.drop_table("apps")
    op.drop_index("ix_users_created_at_id", table_name="users")
    op.drop_table("users")
    op.drop_table("artworks")
