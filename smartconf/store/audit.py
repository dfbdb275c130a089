"""Automatic audit: every flushed change of a session records who changed what.

The actor is ``session.info["actor"]``; services set it (see ``store.session``). A write with
no actor is refused, so no change can escape the trail.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from smartconf.core.enums import AuditAction
from smartconf.models.audit import AuditEvent
from smartconf.models.base import Base, utcnow

ACTOR_KEY = "actor"
# Columns whose values are derived or noisy; their changes are not listed.
_SKIPPED = {"search_text", "sort_name", "updated_at", "created_at"}
_MAX_VALUE_CHARS = 500


class MissingActorError(RuntimeError):
    """A write was flushed without saying who made it (a programming error)."""


def json_value(value: Any) -> Any:
    """A column value as the audit trail stores it in JSON (enums by value, dates ISO)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, str) and len(value) > _MAX_VALUE_CHARS:
        return value[:_MAX_VALUE_CHARS] + "…"
    return value


def _column_changes(obj: Base, *, new: bool) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {}
    state = inspect(obj)
    for attr in state.mapper.column_attrs:
        if attr.key in _SKIPPED:
            continue
        hist = state.attrs[attr.key].history
        if new:
            value = state.attrs[attr.key].value
            if value is not None:
                changes[attr.key] = [None, json_value(value)]
        elif hist.has_changes():
            old = hist.deleted[0] if hist.deleted else None
            value = hist.added[0] if hist.added else None
            if old != value:
                changes[attr.key] = [json_value(old), json_value(value)]
    return changes


def _entity_id(obj: Base) -> str | None:
    state = inspect(obj)
    identity = state.mapper.primary_key_from_instance(obj)
    if any(part is None for part in identity):
        return None
    return "/".join(str(part) for part in identity)


def _record(session: Session, _flush_context) -> None:
    """after_flush: ids are assigned and attribute history is still there."""
    pending: list[tuple[AuditAction, Base]] = []
    pending += [(AuditAction.CREATE, o) for o in session.new]
    pending += [(AuditAction.UPDATE, o) for o in session.dirty if session.is_modified(o)]
    pending += [(AuditAction.DELETE, o) for o in session.deleted]
    pending = [(a, o) for a, o in pending if not isinstance(o, AuditEvent)]
    if not pending:
        return
    actor = session.info.get(ACTOR_KEY)
    if not actor:
        raise MissingActorError("a change was flushed without an actor; use unit_of_work()")
    now = utcnow()
    rows = []
    for action, obj in pending:
        changes = _column_changes(obj, new=action is AuditAction.CREATE)
        if action is AuditAction.UPDATE and not changes:
            continue
        rows.append({"occurred_at": now, "actor": actor, "action": action,
                     "entity": obj.__tablename__, "entity_id": _entity_id(obj),
                     "changes": changes if action is not AuditAction.DELETE else None})
    if rows:
        session.connection().execute(insert(AuditEvent), rows)


def record_event(session: Session, action: AuditAction, entity: str, entity_id: str | None,
                 summary: str, changes: dict | None = None) -> None:
    """Record an event that is not a row change (an export of personal data, an erasure)."""
    actor = session.info.get(ACTOR_KEY)
    if not actor:
        raise MissingActorError("an audit event needs an actor; use unit_of_work()")
    session.add(AuditEvent(actor=actor, action=action, entity=entity, entity_id=entity_id,
                           summary=summary, changes=changes))


def install_audit(session_factory) -> None:
    """Attach the audit listener to every session made by ``session_factory``."""
    event.listen(session_factory, "after_flush", _record)
