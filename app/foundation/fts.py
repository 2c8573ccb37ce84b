"""SQLite full-text search over tracks: the one definition of its DDL (used by the initial
migration and by bulk loads, which replace the per-row insert trigger with one catch-up)."""

from __future__ import annotations

__all__ = [
    "SQLITE_FTS_DOWN",
    "SQLITE_FTS_INSERT_TRIGGER",
    "SQLITE_FTS_INSERT_TRIGGER_NAME",
    "SQLITE_FTS_REBUILD",
    "SQLITE_FTS_TABLE",
    "SQLITE_FTS_UP",
    "sqlite_fts_index_since",
]

SQLITE_FTS_TABLE = "tracks_fts"

SQLITE_FTS_INSERT_TRIGGER_NAME = "tracks_fts_ai"
SQLITE_FTS_INSERT_TRIGGER = """CREATE TRIGGER tracks_fts_ai AFTER INSERT ON tracks BEGIN
        INSERT INTO tracks_fts(rowid, title, tag_list, genre, description)
        VALUES (new.id, new.title, new.tag_list, new.genre, new.description);
    END"""
SQLITE_FTS_REBUILD = "INSERT INTO tracks_fts(tracks_fts) VALUES ('rebuild')"
SQLITE_FTS_UP = (
    """CREATE VIRTUAL TABLE tracks_fts USING fts5(
        title, tag_list, genre, description,
        content='tracks', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
    )""",
    SQLITE_FTS_INSERT_TRIGGER,
    """CREATE TRIGGER tracks_fts_ad AFTER DELETE ON tracks BEGIN
        INSERT INTO tracks_fts(tracks_fts, rowid, title, tag_list, genre, description)
        VALUES ('delete', old.id, old.title, old.tag_list, old.genre, old.description);
    END""",
    "CREATE TRIGGER tracks_fts_au AFTER UPDATE OF title, tag_list, genre, description"
    """ ON tracks BEGIN
        INSERT INTO tracks_fts(tracks_fts, rowid, title, tag_list, genre, description)
        VALUES ('delete', old.id, old.title, old.tag_list, old.genre, old.description);
        INSERT INTO tracks_fts(rowid, title, tag_list, genre, description)
        VALUES (new.id, new.title, new.tag_list, new.genre, new.description);
    END""",
    SQLITE_FTS_REBUILD,
)  # fmt: skip
SQLITE_FTS_DOWN = (
    "DROP TRIGGER IF EXISTS tracks_fts_au",
    "DROP TRIGGER IF EXISTS tracks_fts_ad",
    "DROP TRIGGER IF EXISTS tracks_fts_ai",
    "DROP TABLE IF EXISTS tracks_fts",
)


def sqlite_fts_index_since(after_id: int) -> str:
    """Index the tracks with id > `after_id` (what the insert trigger would have done)."""
    columns = "title, tag_list, genre, description"
    return (
        f"INSERT INTO tracks_fts(rowid, {columns}) "  # noqa: S608 (an int, no input)
        f"SELECT id, {columns} FROM tracks WHERE id > {int(after_id)} ORDER BY id"
    )
