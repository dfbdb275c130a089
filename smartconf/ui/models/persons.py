"""The persons table: fetched page by page from the database, ordered by the database.

100,000 persons must not be loaded at once: the model holds the rows fetched so far and asks
for the next page when the view scrolls near the end (canFetchMore/fetchMore); pages are
chained by the service (keyset pagination), so a deep page costs what the first one does.
Sorting a column asks the database for a new ordering.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from smartconf.services.overview import PersonOrder, PersonPage, PersonRow
from smartconf.ui.labels import label
from smartconf.ui.models.base import Index, RowTableModel


@dataclass(frozen=True, slots=True)
class PersonQuery:
    """What the persons table shows: the typed search text and the ordering."""

    text: str = ""
    order: PersonOrder = PersonOrder.NAME
    descending: bool = False


# (query, after, limit) -> the page of rows after ``after`` (None: the first page)
PageFetcher = Callable[[PersonQuery, tuple | None, int], PersonPage]


class PersonTableModel(RowTableModel[PersonRow]):
    NAME, LATIN_NAME, ORGANISATION, POSITION, LANGUAGE, TAGS = range(6)
    COLUMN_COUNT = 6
    PAGE_SIZE = 200
    ORDERS = (PersonOrder.NAME, PersonOrder.LATIN_NAME, PersonOrder.ORGANISATION,
              PersonOrder.POSITION, PersonOrder.LANGUAGE, PersonOrder.TAGS)  # by column

    def __init__(self, fetch_page: PageFetcher | None = None, parent=None) -> None:
        super().__init__(parent)
        self._fetch_page = fetch_page
        self._query = PersonQuery()
        self._after: tuple | None = None  # where the next page starts; None: no more

    def headers(self) -> Sequence[str]:
        return [self.tr("Name"), self.tr("Latin name"), self.tr("Organisation"),
                self.tr("Position"), self.tr("Language"), self.tr("Tags")]

    def display(self, row: PersonRow, column: int) -> str:
        if column == self.NAME:
            return row.name
        if column == self.LATIN_NAME:
            return row.latin_name
        if column == self.ORGANISATION:
            return row.organisation
        if column == self.POSITION:
            return row.position
        if column == self.LANGUAGE:
            return label(row.language)
        return ", ".join(row.tags)

    def cell_data(self, row: PersonRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column in (self.ORGANISATION, self.POSITION,
                                                              self.TAGS):
            return self.display(row, column) or None
        return None

    # --- what is shown -----------------------------------------------------------------

    def query(self) -> PersonQuery:
        return self._query

    def set_search_text(self, text: str) -> None:
        """Show the persons matching ``text`` (folded by the service), from the first page."""
        self._query = replace(self._query, text=text)
        self.reload()

    def set_rows(self, rows: Iterable[PersonRow]) -> None:
        """Show exactly ``rows``; nothing more is fetched until ``reload``."""
        self._after = None
        super().set_rows(rows)

    def reload(self) -> None:
        """Fetch the first page again for the current query."""
        if self._fetch_page is None:
            return
        page = self._fetch_page(self._query, None, self.PAGE_SIZE)
        self.beginResetModel()
        self._rows = list(page.rows)
        self._after = page.after
        self.endResetModel()

    # --- lazy fetching and sorting -------------------------------------------------------

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._after is not None and self._fetch_page is not None

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        page = self._fetch_page(self._query, self._after, self.PAGE_SIZE)
        self._after = page.after
        if not page.rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
        self._rows.extend(page.rows)
        self.endInsertRows()

    def sort(self, column: int,
             order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order by ``column`` in the database and show the first page again."""
        if not 0 <= column < self.COLUMN_COUNT:
            return
        query = replace(self._query, order=self.ORDERS[column],
                        descending=order == Qt.SortOrder.DescendingOrder)
        if query != self._query:
            self._query = query
            self.reload()
