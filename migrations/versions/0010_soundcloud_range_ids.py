"""Ids in SoundCloud's range for new installations: users, tracks, playlists and comments.

Third-party SoundCloud clients take short numbers for permalinks (one treats any id under 8
digits as one), so a new installation hands out ids as large as SoundCloud's. Tables that
already hold rows keep their ids, and new rows continue after them; an empty table starts at
its FIRST_IDS value:

- PostgreSQL: the table's id sequence restarts there;
- SQLite: the table is rebuilt with AUTOINCREMENT (its rowid sequence, `sqlite_sequence`, can
  then start there); it is empty, so nothing is copied. Its indexes and triggers are recreated
  from their stored SQL.

Revision ID: 0010_soundcloud_range_ids
Revises: 0009_app_client_type
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_soundcloud_range_ids"
down_revision: str | Sequence[str] | None = "0009_app_client_type"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIRST_IDS = {
    "users": 200_000_000,
    "tracks": 1_000_000_000,
    "playlists": 1_500_000_000,
    "comments": 2_000_000_000,
}


def upgrade() -> None:
    bind = op.get_bind()
    for table, first in FIRST_IDS.items():
        if bind.execute(sa.text(f"SELECT 1 FROM {table} LIMIT 1")).first():  # noqa: S608
            continue  # existing data keep their ids
        if bind.dialect.name == "postgresql":
            bind.execute(
                sa.text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :first, false)"),
                {"t": table, "first": first},
            )
        elif bind.dialect.name == "sqlite":
            _sqlite_autoincrement(bind, table)
            bind.execute(
                sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :seq)"),
                {"t": table, "seq": first - 1},
            )


def _sqlite_autoincrement(bind: sa.Connection, table: str) -> None:
    """Rebuild the empty `table` with `id INTEGER PRIMARY KEY AUTOINCREMENT`."""
    (ddl,) = bind.execute(
        sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t"), {"t": table}
    ).one()
    pk = f"CONSTRAINT pk_{table} PRIMARY KEY (id)"
    column = "id INTEGER NOT NULL,"
    lines = ddl.split("\n")
    if sum(pk in line for line in lines) != 1 or sum(li.strip() == column for li in lines) != 1:
        raise RuntimeError(f"unexpected schema of {table}: {ddl}")
    autoincrement = f"\tid INTEGER NOT NULL CONSTRAINT pk_{table} PRIMARY KEY AUTOINCREMENT, "
    kept = [autoincrement if li.strip() == column else li for li in lines if pk not in li]
    rebuilt = "\n".join(kept).rstrip().removesuffix(")").rstrip().removesuffix(",") + "\n)"
    extras = [
        sql
        for (sql,) in bind.execute(
            sa.text(
                "SELECT sql FROM sqlite_master WHERE tbl_name = :t AND type IN ('index', "
                "'trigger') AND sql IS NOT NULL ORDER BY type, name"
            ),
            {"t": table},
        )
    ]
    scratch = f"_new_{table}"
    bind.exec_driver_sql(rebuilt.replace(f"CREATE TABLE {table} (", f"CREATE TABLE {scratch} (", 1))
    bind.exec_driver_sql(f"DROP TABLE {table}")
    bind.exec_driver_sql(f"ALTER TABLE {scratch} RENAME TO {table}")
    for sql in extras:
        bind.exec_driver_sql(sql)


def downgrade() -> None:
    """Nothing to undo: ids already handed out stay, and later ones follow them."""
