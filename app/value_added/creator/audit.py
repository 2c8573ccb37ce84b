"""The partner audit trail: who (which app, for which creator) changed what, and when.

Every write a partner app makes on a creator's catalog is recorded in the SAME unit of work as
the change itself, so a change and its audit entry commit or roll back together. Commands take an
optional `AuditContext` (the edge knows the app's name and the request id); a managing app that
writes without one is audited anyway, so the trail cannot be bypassed by forgetting it.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import msgspec

from app.foundation.audit.records import AuditRecord, NewAuditEntry
from app.foundation.unit_of_work import UnitOfWork
from app.value_added.access import Viewer
from app.value_added.common.cursor import Page, clamp_limit
from app.value_added.common.deps import Deps
from app.value_added.common.errors import InvalidArgument, PermissionDenied
from app.value_added.creator.validation import TRACK_POLICY_FIELDS

TRACK = "track"
PLAYLIST = "playlist"
ACTIONS = ("create", "update", "delete", "upload", "policy")
POLICY_CHANGES = TRACK_POLICY_FIELDS | {"release_date"}
"""Track fields whose change alone makes an update a `policy` action (release dates included)."""
UNAUDITED_FIELDS = frozenset({"id", "user_id", "secret_token", "created_at", "updated_at"}) | {
    "version"
}
"""Never copied into the trail: identity (already on the entry), bookkeeping and secrets."""


class AuditContext(msgspec.Struct, frozen=True, kw_only=True):
    """Who is writing, as the edge knows it: app id and name, the token's user, the request."""

    app_id: int
    app_name: str
    actor_user_id: int | None = None
    request_id: str | None = None


class AuditEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One audited write; `changes` maps each changed field to {"old": …, "new": …}."""

    id: int
    app_id: int
    app_name: str
    actor_user_id: int | None
    creator_id: int
    entity_kind: str
    entity_id: int
    action: str
    changes: dict[str, Any]
    request_id: str | None
    created_at: dt.datetime

    @classmethod
    def of(cls, record: AuditRecord) -> AuditEntry:
        return cls(**msgspec.structs.asdict(record))


def snapshot(aggregate: msgspec.Struct | None) -> dict[str, Any]:
    """The aggregate's auditable fields as JSON values (dates as ISO 8601 strings)."""
    if aggregate is None:
        return {}
    values: dict[str, Any] = msgspec.to_builtins(aggregate)
    return {k: v for k, v in values.items() if k not in UNAUDITED_FIELDS}


def diff(old: msgspec.Struct | None, new: msgspec.Struct | None) -> dict[str, Any]:
    """{field: {"old": …, "new": …}} for every auditable field whose value differs."""
    before, after = snapshot(old), snapshot(new)
    fields = list(dict.fromkeys([*before, *after]))
    return {
        f: {"old": before.get(f), "new": after.get(f)}
        for f in fields
        if before.get(f) != after.get(f)
    }


def track_update_action(changes: dict[str, Any]) -> str:
    """`policy` when only release dates, territories, monetization or sharing changed."""
    return "policy" if changes and set(changes) <= POLICY_CHANGES else "update"


async def _implicit_context(
    uow: UnitOfWork, viewer: Viewer, creator_id: int
) -> AuditContext | None:
    """The context of a managing app that wrote without one; None for a creator's own writes."""
    if viewer.app_id is None or viewer.user_id == creator_id or not viewer.manages(creator_id):
        return None
    app = await uow.apps.get(viewer.app_id)
    name = app.name if app is not None else ""
    return AuditContext(app_id=viewer.app_id, app_name=name, actor_user_id=viewer.user_id)


async def record(
    uow: UnitOfWork,
    viewer: Viewer,
    audit: AuditContext | None,
    *,
    creator_id: int,
    kind: str,
    entity_id: int,
    action: str,
    old: msgspec.Struct | None,
    new: msgspec.Struct | None,
) -> None:
    """Append the audit entry of one write inside the write's own unit of work."""
    outer = _ambient.get()
    if audit is None and outer is not None and action == "create" and not outer.recorded:
        audit, action, outer.recorded = outer.context, outer.action, True
    context = audit if audit is not None else await _implicit_context(uow, viewer, creator_id)
    if context is None:
        return
    if context.app_id != viewer.app_id:
        raise PermissionDenied("the audit context names another app", reason="audit_app_mismatch")
    await uow.audit.add(
        NewAuditEntry(
            app_id=context.app_id,
            app_name=context.app_name,
            actor_user_id=context.actor_user_id,
            creator_id=creator_id,
            entity_kind=kind,
            entity_id=entity_id,
            action=action,
            changes=diff(old, new),
            request_id=context.request_id,
        )
    )


class Ambient:
    """An audit context for every write inside one command that does not pass its own.

    A composite command (an upload runs the media pipeline, which creates the track) sets it so
    the inner `create` is recorded as one `upload` entry in the inner write's own transaction.
    """

    def __init__(self, context: AuditContext | None, action: str) -> None:
        self.context = context
        self.action = action
        self.recorded = False


_ambient: contextvars.ContextVar[Ambient | None] = contextvars.ContextVar(
    "creator_audit_ambient", default=None
)


@contextmanager
def ambient(context: AuditContext | None, action: str) -> Iterator[Ambient]:
    state = Ambient(context, action)
    token = _ambient.set(state)
    try:
        yield state
    finally:
        _ambient.reset(token)


def _scope(app_id: int) -> str:
    return f"creator.audit:{app_id}"


class CreatorAuditTrail:
    """Reading the trail: an app sees only the entries of its own writes."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def audit_trail(
        self,
        viewer: Viewer,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> Page[AuditEntry]:
        """The viewer's app's entries with since <= created_at < until, newest first."""
        if viewer.app_id is None:
            raise PermissionDenied("only an app has an audit trail", reason="app_required")
        if since is not None and until is not None and until <= since:
            raise InvalidArgument(
                f"until ({until.isoformat()}) must be after since ({since.isoformat()})",
                reason="invalid_range",
                field="until",
            )
        size = clamp_limit(limit)
        after = self._deps.cursors.decode(_scope(viewer.app_id), cursor)
        async with self._deps.db.read() as uow:
            page = await uow.audit.by_app(viewer.app_id, since, until, after, size)
        return Page(
            items=[AuditEntry.of(r) for r in page.items],
            next_cursor=self._deps.cursors.encode(_scope(viewer.app_id), page.next_key),
        )
