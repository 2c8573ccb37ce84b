"""SQLite full-text search over tracks: the one definition of its DDL (used by migrations
and by bulk loads, which replace the per-row insert trigger with one catch-up)."""

from __future__ import annotations

__all__ = [
    "SQLITE_FTS_DOWN",
    "SQLITE_FTS_INSERT_TRIGGER",
    "SQLITE_FTS_INSERT_TRIGGER_NAME",
    "SQLITE_FTS_PREFIXED_UP",
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


SQLITE_FTS_PREFIXES = "1 2 3 4 5 6 7 8 9 10"
"""Prefix lengths FTS5 indexes besides whole terms: a query word (each is a prefix) of one of
these lengths is read as one term, lazily and in rowid order, instead of a merge of every term
it begins, materialized before the first row (`"dance"*`: ~22 ms at 100,000 tracks, growing with
the catalog; through the prefix index ~0.3 ms). Longer words are still merged (fewer terms)."""
SQLITE_FTS_PREFIXED_UP = (
    SQLITE_FTS_UP[0].replace(
        "tokenize='unicode61 remove_diacritics 2'",
        f"tokenize='unicode61 remove_diacritics 2', prefix='{SQLITE_FTS_PREFIXES}'",
    ),
    *SQLITE_FTS_UP[1:],
)
"""The FTS5 table with its prefix index (migration 0012), its triggers, and its rebuild."""


def sqlite_fts_index_since(after_id: int) -> str:
    """Index the tracks with id > `after_id` (what the insert trigger would have done)."""
    columns = "title, tag_list, genre, description"
    return (
        f"INSERT INTO tracks_fts(rowid, {columns}) "  # noqa: S608 (an int, no input)
        f"SELECT id, {columns} FROM tracks WHERE id > {int(after_id)} ORDER BY id"
    )
