"""The conflicts of an agenda as a list below the timetable; choosing one selects its first
session."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from smartconf.services.planning import Conflict, ConflictKind

SESSIONS_ROLE = Qt.ItemDataRole.UserRole
_CONTEXT = "conflicts"
_KIND_TEXT = {
    ConflictKind.ROOM_DOUBLE_BOOKED: QT_TRANSLATE_NOOP("conflicts", "Room booked twice"),
    ConflictKind.PERSON_DOUBLE_BOOKED: QT_TRANSLATE_NOOP("conflicts", "Person in two places"),
    ConflictKind.OUTSIDE_CONFERENCE: QT_TRANSLATE_NOOP("conflicts", "Outside the conference"),
    ConflictKind.OVER_CAPACITY: QT_TRANSLATE_NOOP("conflicts", "Room too small"),
}


def conflict_kind_text(kind: ConflictKind) -> str:
    return QCoreApplication.translate(_CONTEXT, _KIND_TEXT[kind])


class ConflictList(QListWidget):
    """One line per conflict ("Room booked twice: ..."); ``session_chosen(id)`` when one is
    clicked or activated."""

    session_chosen = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("conflict_list")
        self.setUniformItemSizes(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.itemClicked.connect(self._choose)
        self.itemActivated.connect(self._choose)

    def set_conflicts(self, conflicts: Sequence[Conflict]) -> None:
        self.clear()
        for conflict in conflicts:
            text = f"{conflict_kind_text(conflict.kind)}: {conflict.message}"
            item = QListWidgetItem(f"⚠ {text}", self)
            item.setToolTip(text)
            item.setData(SESSIONS_ROLE, list(conflict.session_ids))

    def session_ids(self, row: int) -> list[int]:
        return list(self.item(row).data(SESSIONS_ROLE))

    def _choose(self, item: QListWidgetItem) -> None:
        ids = item.data(SESSIONS_ROLE)
        if ids:
            self.session_chosen.emit(ids[0])
