"""Fake users, tracks, policies and media repositories (the reads the VAS make, plus seeding)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import msgspec

from app.foundation.catalog.records import CatalogScope
from app.foundation.media.records import MediaRecord, TranscodingRecord
from app.foundation.policies.records import TrackPolicyRecord
from app.foundation.query import Key, Page
from app.foundation.tracks.records import TrackRecord, TrackSearch
from app.foundation.users.records import NewUser, UserRecord, WebProfileRecord
from tests.unit.fakes.state import FIRST_IDS, Repo, build, get_many, keyset_page, like, next_id

USER_DEFAULTS: dict[str, Any] = {
    "first_name": "", "last_name": "", "description": "", "city": "", "country": None,
    "plan": "free", "avatar_key": None, "website": "", "website_title": "",
}  # fmt: skip
TRACK_DEFAULTS: dict[str, Any] = {
    "description": "", "genre": "", "tag_list": "", "duration_ms": 0, "bpm": None,
    "key_signature": "", "isrc": None, "license": "all-rights-reserved", "label_name": "",
    "purchase_url": "", "purchase_title": "", "release_date": None, "artwork_key": None,
}  # fmt: skip
POLICY_DEFAULTS: dict[str, Any] = {
    "sharing": "public", "release_at": None, "territories": None, "streamable": True,
    "downloadable": False, "commentable": True, "monetization": "none", "taken_down_at": None,
    "takedown_reason": "",
}  # fmt: skip
MEDIA_DEFAULTS: dict[str, Any] = {
    "original_key": None, "original_filename": "", "format": "", "content_type": "",
    "size_bytes": 0, "duration_ms": 0, "bitrate": 0, "sample_rate": 0, "channels": 0,
    "status": "processing", "status_reason": "",
}  # fmt: skip
TIME_ORDER = ("created_at", "id")


def _words(text: str) -> list[str]:
    """Lower-cased alphanumeric runs: the query words and FTS tokens of the real search."""
    return "".join(c if c.isalnum() else " " for c in text.lower()).split()


class FakeUsers(Repo):
    async def get_many(self, ids: Sequence[int]) -> list[UserRecord]:
        return get_many(self._s.users, ids)

    async def get(self, user_id: int) -> UserRecord | None:
        return self._s.users.get(user_id)

    async def by_permalink(self, permalink: str) -> UserRecord | None:
        return next((u for u in self._s.users.values() if u.permalink == permalink), None)

    async def page(self, after: Key | None, limit: int) -> Page[UserRecord]:
        return keyset_page(self._s.users.values(), UserRecord, TIME_ORDER, after, limit)

    async def search(self, query: str, after: Key | None, limit: int) -> Page[UserRecord]:
        pattern = f"%{query.lower()}%"
        found = [
            u
            for u in self._s.users.values()
            if like(u.username.lower(), pattern)
            or like(f"{u.first_name} {u.last_name}".lower(), pattern)
        ]
        return keyset_page(found, UserRecord, TIME_ORDER, after, limit)

    async def web_profiles(self, user_id: int) -> list[WebProfileRecord]:
        found = [p for p in self._s.web_profiles.values() if p.user_id == user_id]
        return sorted(found, key=lambda p: p.id)

    # seeding (not called by the VAS under test)
    async def create(self, new: NewUser) -> UserRecord:
        now = self._now()
        values = msgspec.structs.asdict(new) | {"created_at": now, "updated_at": now}
        user = build(
            UserRecord, USER_DEFAULTS, values | {"id": next_id(self._s.users, FIRST_IDS["users"])}
        )
        self._s.users[user.id] = user
        return user

    async def create_many(self, rows: Sequence[dict[str, Any]]) -> None:
        for row in rows:
            self._s.users[row["id"]] = build(UserRecord, USER_DEFAULTS, row)


class FakeTracks(Repo):
    async def get_many(self, ids: Sequence[int], following: int | None = None) -> list[TrackRecord]:
        return get_many(self._s.tracks, ids)  # (no record cache: nothing to keep for later)

    async def get(self, track_id: int) -> TrackRecord | None:
        return self._s.tracks.get(track_id)

    def hold(self, records: Sequence[TrackRecord]) -> None:
        """(No transaction to read along in: the fake's tracks are always current.)"""

    async def by_permalink(self, user_id: int, permalink: str) -> TrackRecord | None:
        found = (
            t for t in self._s.tracks.values() if t.user_id == user_id and t.permalink == permalink
        )
        return next(found, None)

    async def by_user(
        self, user_ids: Sequence[int], after: Key | None, limit: int
    ) -> Page[TrackRecord]:
        found = [t for t in self._s.tracks.values() if t.user_id in set(user_ids)]
        return keyset_page(found, TrackRecord, TIME_ORDER, after, limit)

    async def related(self, track: TrackRecord, after: Key | None, limit: int) -> Page[TrackRecord]:
        found = [
            t
            for t in self._s.tracks.values()
            if t.id != track.id
            and (t.user_id == track.user_id or (bool(track.genre) and t.genre == track.genre))
        ]
        return keyset_page(found, TrackRecord, TIME_ORDER, after, limit)

    # seeding
    async def create(self, user_id: int, values: dict[str, Any]) -> TrackRecord:
        now = self._now()
        stamp = {"id": next_id(self._s.tracks, FIRST_IDS["tracks"]), "user_id": user_id}
        times = {"created_at": now, "updated_at": now}
        track = build(TrackRecord, TRACK_DEFAULTS, times | values | stamp)
        self._s.tracks[track.id] = track
        return track

    async def create_many(self, rows: Sequence[dict[str, Any]]) -> None:
        for row in rows:
            self._s.tracks[row["id"]] = build(TrackRecord, TRACK_DEFAULTS, row)


class FakeCatalog(Repo):
    """The catalogue search (the other catalogue queries have no fake: no unit test uses them)."""

    async def search(
        self,
        filters: TrackSearch,
        now: dt.datetime,
        scope: CatalogScope,
        after: Key | None,
        limit: int,
    ) -> Page[TrackRecord]:
        found = [
            t
            for t in self._s.tracks.values()
            if _matches(t, filters) and _in_scope(t, self._s.policies.get(t.id), now, scope)
        ]
        # (a text search lists its matches by id, newest first: the real one's index order)
        order = ("id",) if filters.text and _words(filters.text) else TIME_ORDER
        return keyset_page(found, TrackRecord, order, after, limit)


def _in_scope(
    t: TrackRecord, p: TrackPolicyRecord | None, now: dt.datetime, scope: CatalogScope
) -> bool:
    if p is None:
        return False
    if t.user_id in scope.owners:
        return True
    released = p.release_at is None or p.release_at <= now
    public = p.sharing == "public" and p.taken_down_at is None and released
    available = p.territories is None or scope.territory in p.territories
    return public and (not scope.unblocked or (p.streamable and available))


def _matches(t: TrackRecord, f: TrackSearch) -> bool:
    tokens = _words(f"{t.title} {t.tag_list} {t.genre} {t.description}")
    checks = [
        not f.text or all(any(tok.startswith(w) for tok in tokens) for w in _words(f.text)),
        f.ids is None or t.id in f.ids,
        f.user_id is None or t.user_id == f.user_id,
        not f.genres or t.genre.lower() in {g.lower() for g in f.genres},
        not f.tags or any(like(f" {t.tag_list.lower()} ", f"% {g.lower()} %") for g in f.tags),
        f.bpm_from is None or (t.bpm is not None and t.bpm >= f.bpm_from),
        f.bpm_to is None or (t.bpm is not None and t.bpm <= f.bpm_to),
        f.duration_from_ms is None or t.duration_ms >= f.duration_from_ms,
        f.duration_to_ms is None or t.duration_ms <= f.duration_to_ms,
        f.created_from is None or t.created_at >= f.created_from,
        f.created_to is None or t.created_at <= f.created_to,
    ]
    return all(checks)


class FakePolicies(Repo):
    async def get_many(self, track_ids: Sequence[int]) -> list[TrackPolicyRecord]:
        return get_many(self._s.policies, track_ids)

    async def get(self, track_id: int) -> TrackPolicyRecord | None:
        return self._s.policies.get(track_id)

    async def locked(self, track_id: int, *, changing: bool) -> TrackPolicyRecord | None:
        return self._s.policies.get(track_id)

    async def locked_many(
        self, track_ids: Sequence[int], *, changing: bool = False
    ) -> list[TrackPolicyRecord]:
        return get_many(self._s.policies, track_ids)

    # seeding
    async def create(self, track_id: int, secret_token: str, values: dict[str, Any]) -> None:
        stamp = {"track_id": track_id, "secret_token": secret_token, "updated_at": self._now()}
        self._s.policies[track_id] = build(TrackPolicyRecord, POLICY_DEFAULTS, stamp | values)

    async def create_many(self, rows: Sequence[dict[str, Any]]) -> None:
        for row in rows:
            self._s.policies[row["track_id"]] = build(TrackPolicyRecord, POLICY_DEFAULTS, row)


class FakeMedia(Repo):
    async def for_tracks(self, track_ids: Sequence[int]) -> list[MediaRecord]:
        by_track = {m.track_id: m for m in self._s.media.values()}
        return get_many(by_track, track_ids)

    async def transcodings_of(self, media_ids: Sequence[int]) -> list[TranscodingRecord]:
        wanted = set(media_ids)
        found = [t for t in self._s.transcodings.values() if t.media_id in wanted]
        return sorted(found, key=lambda t: (t.media_id, t.id))

    # seeding
    async def create(self, track_id: int, values: dict[str, Any]) -> MediaRecord:
        now = self._now()
        stamp = {"id": next_id(self._s.media), "track_id": track_id}
        times = {"created_at": now, "updated_at": now}
        record = build(MediaRecord, MEDIA_DEFAULTS, times | values | stamp)
        self._s.media[record.id] = record
        return record

    async def add_transcoding(self, media_id: int, values: dict[str, Any]) -> None:
        stamp = {"id": next_id(self._s.transcodings), "media_id": media_id}
        defaults = {"duration_ms": 0, "created_at": self._now()}
        self._s.transcodings[stamp["id"]] = build(TranscodingRecord, defaults, values | stamp)
