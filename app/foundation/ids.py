"""The last id a table has handed out: its rows' and its id sequence's, so rows inserted with
explicit ids (bulk seeding) continue where the database's own allocation would (a new
installation's ids start in SoundCloud's range: migration 0010)."""

from __future__ import annotations

from sqlalchemy import Table, func, select, text

from app.foundation.lazy import LazyConnection


async def last_id(conn: LazyConnection, table: Table) -> int:
    """The largest id taken in `table`, by a row or by its id sequence (0: none yet)."""
    rows = int((await conn.execute(select(func.coalesce(func.max(table.c.id), 0)))).scalar_one())
    return max(rows, await _sequence_position(conn, table.name))


async def _sequence_position(conn: LazyConnection, name: str) -> int:
    if conn.dialect.name == "sqlite":
        exists = await conn.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'")
        )
        if exists.first() is None:
            return 0
        seq = await conn.execute(
            text("SELECT seq FROM sqlite_sequence WHERE name = :t"), {"t": name}
        )
        return int(seq.scalar() or 0)
    if conn.dialect.name == "postgresql":
        found = await conn.execute(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": name})
        sequence = found.scalar()
        if sequence is None:
            return 0
        state = await conn.execute(text(f"SELECT last_value, is_called FROM {sequence}"))  # noqa: S608 (a name from the catalog)
        last_value, is_called = state.one()
        return int(last_value) if is_called else int(last_value) - 1
    return 0
