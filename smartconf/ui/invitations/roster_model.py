"""The participants table: one row per participant of a conference."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QBrush, QColor

from smartconf.services.roster import RosterRow
from smartconf.ui.invitations.labels import consent_text, message_text
from smartconf.ui.labels import label
from smartconf.ui.models.base import Index, RowTableModel

WARNING_COLOUR = QColor(160, 82, 0)  # amber text: readable on light and dark rows
ERROR_COLOUR = QColor(176, 0, 32)
_CENTRE = Qt.AlignmentFlag.AlignCenter
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_NO_FLAGS = Qt.ItemFlag.NoItemFlags


class RosterTableModel(RowTableModel[RosterRow]):
    """Name, organisation, role, status, consent, badge, invite sequence, last message."""

    NAME, ORGANISATION, ROLE, STATUS, CONSENT, BADGE, SEQUENCE, MESSAGE = range(8)
    COLUMN_COUNT = 8

    def headers(self) -> Sequence[str]:
        return [self.tr("Name"), self.tr("Organisation"), self.tr("Role"), self.tr("Status"),
                self.tr("Consent"), self.tr("Badge"), self.tr("Invite seq."),
                self.tr("Last message")]

    def display(self, row: RosterRow, column: int) -> str:
        if column == self.NAME:
            return row.name
        if column == self.ORGANISATION:
            return row.organisation
        if column == self.ROLE:
            return label(row.role)
        if column == self.STATUS:
            return label(row.status)
        if column == self.CONSENT:
            return consent_text(row.consent, row.consent_decision)
        if column == self.BADGE:
            return self.tr("Yes") if row.badge else self.tr("No")
        if column == self.SEQUENCE:
            return str(row.invite_sequence) if row.message_kind is not None else ""
        if not row.has_email and row.message_kind is None:
            return self.tr("No e-mail address")
        return message_text(row.message_kind, row.message_state)

    def sort_value(self, row: RosterRow, column: int) -> Any:
        if column == self.SEQUENCE:
            return row.invite_sequence
        return self.display(row, column)

    def cell_data(self, row: RosterRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._colour(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.BADGE, self.SEQUENCE):
            return _CENTRE
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        # a constant: selecting all asks for every cell's flags (50,000 calls at 6,000 rows)
        return _FLAGS if index.isValid() else _NO_FLAGS

    def _colour(self, row: RosterRow, column: int) -> QBrush | None:
        if column == self.CONSENT and row.needs_decision:
            return QBrush(WARNING_COLOUR)
        if column == self.MESSAGE and (row.message_error or not row.has_email):
            return QBrush(ERROR_COLOUR)
        return None

    def _tooltip(self, row: RosterRow, column: int) -> str | None:
        if column == self.CONSENT and row.flagged:
            return row.consent_decision or self.tr(
                "No active consent to event invitations: invite only after recording a "
                "decision (Decide consent…).")
        if column == self.MESSAGE and row.message_error:
            return row.message_error
        if column in (self.NAME, self.ORGANISATION):
            return self.display(row, column)
        return None

    def row_of(self, participant_id: int) -> int:
        """The row showing participant ``participant_id``, or -1."""
        return next((i for i, r in enumerate(self._rows) if r.id == participant_id), -1)

    def rows_in(self, selection: QItemSelection) -> list[RosterRow]:
        """The rows a selection covers, top to bottom (fast for thousands of rows)."""
        spans = sorted((r.top(), r.bottom()) for r in selection)
        found: dict[int, RosterRow] = {}
        for top, bottom in spans:
            for row in self._rows[top:bottom + 1]:
                found.setdefault(row.id, row)
        return list(found.values())

    def selection_of(self, participant_ids: Iterable[int]) -> QItemSelection:
        """A selection of the rows of these participants, consecutive rows as one range."""
        wanted = set(participant_ids)
        selection = QItemSelection()
        start = None
        for position, row in enumerate([*self._rows, None]):
            inside = row is not None and row.id in wanted
            if inside and start is None:
                start = position
            elif not inside and start is not None:
                selection.select(self.index(start, 0),
                                 self.index(position - 1, self.COLUMN_COUNT - 1))
                start = None
        return selection
