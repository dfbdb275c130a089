"""Model of the check-in page: the latest admissions (no e-mail, no phone: a public screen)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from smartconf.services.overview import RecentCheckIn
from smartconf.ui.formatting import format_time
from smartconf.ui.labels import label
from smartconf.ui.models.base import RowTableModel


class RecentCheckInTableModel(RowTableModel[RecentCheckIn]):
    TIME, DESK, NAME, ORGANISATION, ROLE = range(5)
    COLUMN_COUNT = 5

    def headers(self) -> Sequence[str]:
        return [self.tr("Time"), self.tr("Desk"), self.tr("Name"), self.tr("Organisation"),
                self.tr("Role")]

    def display(self, row: RecentCheckIn, column: int) -> str:
        if column == self.TIME:
            return format_time(row.checked_in_at)
        if column == self.DESK:
            return row.desk
        if column == self.NAME:
            return row.name
        if column == self.ORGANISATION:
            return row.organisation
        return label(row.role)

    def sort_value(self, row: RecentCheckIn, column: int) -> Any:
        if column == self.TIME:
            return row.checked_in_at
        return self.display(row, column)
