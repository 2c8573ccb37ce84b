"""Counters recounted from the tables they summarize (seeding, consistency checks; migration
0011 backfills with a frozen copy of these statements).

`live` is the SQL twin of `access.counted_publicly`: a track everyone may list is public, not
taken down and released by `:now`; `scheduled` is one that will be live by itself at its
`release_at`. A count's owner column adds the owner's own hidden tracks; the `public_` column
counts live tracks only; scheduled ones become `counter_releases` rows.
"""

# ruff: noqa: S608  (statements built from this module's constants only: no input reaches them)

from __future__ import annotations

LIVE = (
    "(p.sharing = 'public' AND p.taken_down_at IS NULL"
    " AND (p.release_at IS NULL OR p.release_at <= :now))"
)
SCHEDULED = "(p.sharing = 'public' AND p.taken_down_at IS NULL AND p.release_at > :now)"
_TRACK = "JOIN tracks t ON t.id = {edge}.track_id JOIN track_policies p ON p.track_id = t.id"
SUMMARIZED = (
    "tracks", "track_policies", "track_likes", "track_reposts", "comments", "playlists",
    "playlist_entries", "playlist_likes", "playlist_reposts", "user_counters",
    "playlist_counters",
)  # fmt: skip
"""The tables a recount reads: PostgreSQL must know their sizes first (after a bulk load it has
no statistics yet, and plans every correlated count as a scan of a whole table: a 1,000,000-track
seed then recounted for hours instead of seconds)."""


def _edge_counts(table: str, alias: str, owned: str) -> tuple[str, str]:
    """(owner view, public view) counts of a user's edges to tracks in `table`."""
    base = (
        f"SELECT COUNT(*) FROM {table} {alias} {_TRACK.format(edge=alias)}"
        f" WHERE {alias}.user_id = user_counters.user_id"
    )
    return f"({base} AND ({LIVE} OR t.user_id = {owned}))", f"({base} AND {LIVE})"


def _playlist_edges(table: str, alias: str) -> tuple[str, str]:
    """(owner view, public view) counts of a user's edges to playlists in `table`."""
    base = (
        f"SELECT COUNT(*) FROM {table} {alias} JOIN playlists pl ON pl.id = {alias}.playlist_id"
        f" WHERE {alias}.user_id = user_counters.user_id"
    )
    return (
        f"({base} AND (pl.sharing = 'public' OR pl.user_id = {alias}.user_id))",
        f"({base} AND pl.sharing = 'public')",
    )


def _user_statement() -> str:
    own_tracks = "SELECT COUNT(*) FROM tracks t JOIN track_policies p ON p.track_id = t.id"
    own_tracks += " WHERE t.user_id = user_counters.user_id"
    likes, public_likes = _edge_counts("track_likes", "l", "l.user_id")
    reposts, public_reposts = _edge_counts("track_reposts", "r", "r.user_id")
    comments, public_comments = _edge_counts("comments", "c", "c.user_id")
    pl_likes, public_pl_likes = _playlist_edges("playlist_likes", "k")
    pl_reposts, public_pl_reposts = _playlist_edges("playlist_reposts", "s")
    playlists = "SELECT COUNT(*) FROM playlists pl WHERE pl.user_id = user_counters.user_id"
    columns = {
        "tracks": f"({own_tracks})",
        "public_tracks": f"({own_tracks} AND {LIVE})",
        "private_tracks": f"({own_tracks} AND p.sharing = 'private')",
        "likes": likes,
        "public_likes": public_likes,
        "reposts": f"{reposts} + {pl_reposts}",
        "public_reposts": f"{public_reposts} + {public_pl_reposts}",
        "comments": comments,
        "public_comments": public_comments,
        "playlists": f"({playlists})",
        "public_playlists": f"({playlists} AND pl.sharing = 'public')",
        "playlist_likes": pl_likes,
        "public_playlist_likes": public_pl_likes,
        "pending": "0",
    }
    return "UPDATE user_counters SET " + ", ".join(f"{k} = {v}" for k, v in columns.items())


def _playlist_statement() -> str:
    base = (
        "FROM playlist_entries e JOIN playlists pl ON pl.id = e.playlist_id "
        + _TRACK.format(edge="e")
        + " WHERE e.playlist_id = playlist_counters.playlist_id"
    )
    own = f"{base} AND ({LIVE} OR t.user_id = pl.user_id)"
    live = f"{base} AND {LIVE}"
    columns = {
        "tracks": f"(SELECT COUNT(*) {own})",
        "duration_ms": f"(SELECT COALESCE(SUM(t.duration_ms), 0) {own})",
        "public_tracks": f"(SELECT COUNT(*) {live})",
        "public_duration_ms": f"(SELECT COALESCE(SUM(t.duration_ms), 0) {live})",
        "pending": "0",
    }
    return "UPDATE playlist_counters SET " + ", ".join(f"{k} = {v}" for k, v in columns.items())


def _release_statements() -> list[str]:
    insert = "INSERT INTO counter_releases (track_id, entity, entity_id, name, release_at, delta) "
    out = [
        insert + "SELECT t.id, 'user', t.user_id, 'public_tracks', p.release_at, 1 FROM tracks t"
        f" JOIN track_policies p ON p.track_id = t.id WHERE {SCHEDULED}"
    ]
    for table, alias, name in (
        ("track_likes", "l", "likes"),
        ("track_reposts", "r", "reposts"),
        ("comments", "c", "comments"),
    ):
        source = (
            f"FROM {table} {alias} {_TRACK.format(edge=alias)} WHERE {SCHEDULED}"
            f" GROUP BY t.id, {alias}.user_id, p.release_at, t.user_id"
        )
        out.append(
            insert + f"SELECT t.id, 'user', {alias}.user_id, 'public_{name}', p.release_at,"
            f" COUNT(*) {source}"
        )
        out.append(
            insert + f"SELECT t.id, 'user', {alias}.user_id, '{name}', p.release_at, COUNT(*)"
            f" {source} HAVING t.user_id <> {alias}.user_id"
        )
    entries = (
        "FROM playlist_entries e JOIN playlists pl ON pl.id = e.playlist_id "
        + _TRACK.format(edge="e")
        + f" WHERE {SCHEDULED} GROUP BY t.id, e.playlist_id, p.release_at, t.duration_ms,"
        " t.user_id, pl.user_id"
    )
    for name, value in (("tracks", "COUNT(*)"), ("duration_ms", "COUNT(*) * t.duration_ms")):
        select = f"SELECT t.id, 'playlist', e.playlist_id, '{{name}}', p.release_at, {value}"
        out.append(insert + select.format(name=f"public_{name}") + f" {entries}")
        out.append(insert + select.format(name=name) + f" {entries} HAVING t.user_id <> pl.user_id")
    return out


def recount_statements() -> list[str]:
    """Every statement of a full recount, in order, each taking the bind parameter `:now`."""
    return [
        _user_statement(),
        _playlist_statement(),
        "DELETE FROM counter_releases",
        *_release_statements(),
        "UPDATE user_counters SET pending = 1 WHERE user_id IN"
        " (SELECT entity_id FROM counter_releases WHERE entity = 'user')",
        "UPDATE playlist_counters SET pending = 1 WHERE playlist_id IN"
        " (SELECT entity_id FROM counter_releases WHERE entity = 'playlist')",
    ]
