"""The audit trail as a table: when (local time), who, what, which record, which fields."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale, Qt, QTime

from smartconf.services.privacy import AuditRow
from smartconf.ui.formatting import format_date
from smartconf.ui.models.base import RowTableModel

_CONTEXT = "audit"
_ACTIONS = {
    "create": QT_TRANSLATE_NOOP("audit", "Created"),
    "update": QT_TRANSLATE_NOOP("audit", "Changed"),
    "delete": QT_TRANSLATE_NOOP("audit", "Deleted"),
    "export": QT_TRANSLATE_NOOP("audit", "Exported"),
    "erase": QT_TRANSLATE_NOOP("audit", "Erased"),
}


def local_time(moment: datetime) -> datetime:
    """An instant (UTC in the database) in the computer's time zone."""
    return moment.astimezone()


def format_moment(moment: datetime) -> str:
    """Date and time to the second in the computer's time zone ("27/11/2026 14:03:09")."""
    local = local_time(moment)
    seconds = QLocale().toString(QTime(local.hour, local.minute, local.second), "HH:mm:ss")
    return f"{format_date(local.date())} {seconds}"


def action_label(action: str) -> str:
    """"Created", "Changed"... (the stored value when unknown)."""
    source = _ACTIONS.get(action)
    return QCoreApplication.translate(_CONTEXT, source) if source else action


def record_label(row: AuditRow) -> str:
    """"person#12" (the kind of record alone when the event names no single record)."""
    return f"{row.entity}#{row.entity_id}" if row.entity_id else row.entity


def changes_summary(row: AuditRow) -> str:
    """The event's own summary (exports, erasures), else the changed fields by name."""
    if row.summary:
        return row.summary
    return ", ".join(sorted(row.changes or {}))


def change_details(row: AuditRow) -> str:
    """The recorded changes as JSON for the detail pane: one field a line, by name
    (``"position": ["Adviser", "Director"]``, old value then new)."""
    if not row.changes:
        return QCoreApplication.translate(_CONTEXT, "No field changes were recorded for this "
                                                    "event.")
    lines = [f"  {json.dumps(name, ensure_ascii=False)}: "
             f"{json.dumps(row.changes[name], ensure_ascii=False)}"
             for name in sorted(row.changes)]
    return "{\n" + ",\n".join(lines) + "\n}"


class AuditTableModel(RowTableModel[AuditRow]):
    """Audit events; the time sorts as the instant it is, the rest as shown."""

    TIME, USER, ACTION, RECORD, CHANGES = range(5)
    COLUMN_COUNT = 5

    def headers(self) -> Sequence[str]:
        return [self.tr("Time"), self.tr("User"), self.tr("Action"), self.tr("Record"),
                self.tr("Changes")]

    def display(self, row: AuditRow, column: int) -> str:
        if column == self.TIME:
            return format_moment(row.occurred_at)
        if column == self.USER:
            return row.actor
        if column == self.ACTION:
            return action_label(row.action)
        if column == self.RECORD:
            return record_label(row)
        return changes_summary(row)

    def sort_value(self, row: AuditRow, column: int) -> Any:
        if column == self.TIME:
            return row.occurred_at
        return self.display(row, column)

    def cell_data(self, row: AuditRow, column: int, role: int) -> Any:
        if role != Qt.ItemDataRole.ToolTipRole:
            return None
        if column == self.TIME:
            return local_time(row.occurred_at).isoformat(sep=" ", timespec="seconds")
        if column == self.CHANGES:
            return changes_summary(row) or None
        return None
