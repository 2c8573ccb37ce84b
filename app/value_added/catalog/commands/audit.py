"""The partner audit trail, written: who (which app, for which creator) changed what, and when.

Every catalog write a managing app makes is recorded in the SAME unit of work as the change
itself, so a change and its audit entry commit or roll back together. Commands take an optional
`AuditContext` (the edge knows the app's name and the request id); a managing app that writes
without one — through any BFF — is audited anyway, so the trail cannot be bypassed by forgetting
it. A creator's own writes are not audited. The Creator gateway reads the trail.
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from app.foundation.audit.records import NewAuditEntry
from app.foundation.unit_of_work import UnitOfWork
from app.value_added.access import Viewer
from app.value_added.catalog.requests import AuditContext
from app.value_added.catalog.validation import TRACK_POLICY_FIELDS
from app.value_added.common.errors import PermissionDenied

Kind = Literal["track", "playlist"]
Action = Literal["create", "update", "delete", "upload", "policy"]
POLICY_CHANGES = TRACK_POLICY_FIELDS | {"release_date"}
"""Track fields whose change alone makes an update a `policy` action (release dates included)."""
UNAUDITED_FIELDS = frozenset({"id", "user_id", "secret_token", "created_at", "updated_at"}) | {
    "version"
}
"""Never copied into the trail: identity (already on the entry), bookkeeping and secrets."""


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


def track_update_action(changes: dict[str, Any]) -> Action:
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
    kind: Kind,
    entity_id: int,
    action: Action,
    old: msgspec.Struct | None,
    new: msgspec.Struct | None,
) -> None:
    """Append the audit entry of one write inside the write's own unit of work."""
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
