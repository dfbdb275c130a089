"""The persons list: the ordered ids of every matching person, their rows read lazily.

At 100,000 persons neither the rows nor even the sort keys may be computed on the GUI thread.
The model holds the ids matching the filter in the chosen order (searched and sorted by a
``LatestJob`` on a worker thread, stale answers dropped) and the rows it has been asked to show,
read a page of ids at a time on a worker thread when the view first paints them.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer, Signal

from smartconf.services.overview import PersonColumn, PersonListRow
from smartconf.services.person_search import PersonFilter
from smartconf.ui.crm.jobs import LatestJob
from smartconf.ui.crm.person_source import ListRequest, ListResult, PersonSource
from smartconf.ui.labels import label
from smartconf.ui.models.base import Index
from smartconf.ui.workers import Worker

PERSON_ID_ROLE = Qt.ItemDataRole.UserRole + 3
PLACEHOLDER = "…"  # shown in the name column until the row is read
_CENTRE = Qt.AlignmentFlag.AlignCenter
_TOOLTIP_COLUMNS = frozenset({2, 3, 5, 8})  # organisation, position, e-mail, tags


class PersonListModel(QAbstractTableModel):
    """Persons matching a ``PersonFilter``, ordered by a column in a language's collation."""

    (NAME, LATIN_NAME, ORGANISATION, POSITION, COUNTRY, EMAIL, PHONE, LANGUAGE, TAGS, OWNER,
     INFLUENCE, INTEREST) = range(12)
    COLUMNS = tuple(PersonColumn)  # the service's name of each column, in order
    COLUMN_COUNT = len(COLUMNS)
    PAGE_SIZE = 200
    MAX_CACHED_ROWS = 20_000

    loaded = Signal()  # the list of a new request is shown
    busy_changed = Signal(bool)
    failed = Signal(object)

    def __init__(self, source: PersonSource, parent=None) -> None:
        super().__init__(parent)
        self._source = source
        self._ids: list[int] = []
        self._rows: dict[int, PersonListRow] = {}
        self._request = ListRequest()  # asked for
        self._shown: ListRequest | None = None  # on screen
        self._started = False
        self._lists = LatestJob(self)
        self._lists.finished.connect(self._on_list)
        self._lists.failed.connect(self.failed)
        self._lists.busy_changed.connect(self._on_busy)
        self._pages = Worker(self)
        self._pages.finished.connect(self._on_rows)
        self._pages.failed.connect(self.failed)
        self._wanted: list[int] = []  # pages to read, the latest wanted last
        self._page_timer = QTimer(self)
        self._page_timer.setSingleShot(True)
        self._page_timer.setInterval(0)
        self._page_timer.timeout.connect(self._read_next_page)
        self._headers = self.headers()

    # --- what is shown ---------------------------------------------------------------------

    def request(self) -> ListRequest:
        """What was asked for last (perhaps not shown yet)."""
        return self._request

    def query(self) -> PersonFilter:
        """The filter of the persons shown now."""
        return self._shown.criteria if self._shown else PersonFilter()

    def total(self) -> int:
        return len(self._ids)

    def is_busy(self) -> bool:
        """Reading or sorting a list, or reading rows."""
        return self._lists.is_busy() or self._pages.is_running() or bool(self._wanted)

    def is_current(self) -> bool:
        """The list shown answers the last request."""
        return self._shown == self._request and not self._lists.is_busy()

    def load(self) -> None:
        """Read the list for the current request (the first call starts the model)."""
        self._started = True
        self._lists.submit(partial(self._source.list, self._request, self.PAGE_SIZE))

    def set_filter(self, criteria: PersonFilter) -> None:
        self._ask(replace(self._request, criteria=criteria))

    def set_language(self, language: str) -> None:
        """Sort text in ``language``'s collation ("sq", "sr" or "en")."""
        self._ask(replace(self._request, language=language))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order by ``column`` (-1: the database's name order); the rows follow when ready."""
        by = self.COLUMNS[column] if 0 <= column < self.COLUMN_COUNT else None
        self._ask(replace(self._request, column=by,
                          descending=order == Qt.SortOrder.DescendingOrder))

    def refresh(self, person_ids: list[int] | None = None) -> None:
        """Read the list again (starting the model) after a write to ``person_ids`` (None:
        anything may differ)."""
        self._source.sort_keys.invalidate(person_ids)
        if person_ids is None:
            self._rows.clear()
        else:
            for pid in person_ids:
                self._rows.pop(pid, None)
        self.load()

    def _ask(self, request: ListRequest) -> None:
        if request == self._request:
            return
        self._request = request
        if self._started:
            self.load()

    def _on_list(self, result: ListResult) -> None:
        self.beginResetModel()
        self._ids = result.ids
        self._shown = result.request
        self._wanted.clear()
        if len(self._rows) > self.MAX_CACHED_ROWS:
            self._rows.clear()
        self._rows.update(result.rows)
        self.endResetModel()
        self.loaded.emit()

    def _on_busy(self, busy: bool) -> None:
        self.busy_changed.emit(busy or self._pages.is_running())

    # --- rows by id ------------------------------------------------------------------------

    def person_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, person_id: int) -> int:
        """The row showing ``person_id``, or -1."""
        try:
            return self._ids.index(person_id)
        except ValueError:
            return -1

    def row_data(self, row: int) -> PersonListRow | None:
        """The row's details, if read already."""
        pid = self.person_id(row)
        return None if pid is None else self._rows.get(pid)

    def _want(self, row: int) -> None:
        page = row // self.PAGE_SIZE
        if page in self._wanted:
            return
        self._wanted.append(page)
        if not self._page_timer.isActive():
            self._page_timer.start()

    def _read_next_page(self) -> None:
        if self._pages.is_running():
            return
        while self._wanted:
            page = self._wanted.pop()  # the latest wanted: where the view is now
            start = page * self.PAGE_SIZE
            ids = [pid for pid in self._ids[start:start + self.PAGE_SIZE]
                   if pid not in self._rows]
            if ids:
                self._pages.start(partial(self._source.rows, ids))
                return
        self._on_busy(self._lists.is_busy())

    def _on_rows(self, rows: dict[int, PersonListRow]) -> None:
        if len(self._rows) > self.MAX_CACHED_ROWS:
            self._rows.clear()
        self._rows.update(rows)
        if self._ids:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._ids) - 1, self.COLUMN_COUNT - 1))
        self._read_next_page()

    # --- QAbstractTableModel ---------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def headers(self) -> list[str]:
        return [self.tr("Name"), self.tr("Latin name"), self.tr("Organisation"),
                self.tr("Position"), self.tr("Country"), self.tr("E-mail"), self.tr("Phone"),
                self.tr("Language"), self.tr("Tags"), self.tr("Owner"), self.tr("Influence"),
                self.tr("Interest")]

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < self.COLUMN_COUNT:
            return self._headers[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        pid = self._ids[index.row()]
        if role == PERSON_ID_ROLE:
            return pid
        row = self._rows.get(pid)
        if row is None:
            if role == Qt.ItemDataRole.DisplayRole:
                self._want(index.row())
                return PLACEHOLDER if index.column() == self.NAME else ""
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in _TOOLTIP_COLUMNS:
            return self.display(row, column) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.INFLUENCE,
                                                                     self.INTEREST):
            return _CENTRE
        return None

    def display(self, row: PersonListRow, column: int) -> str:
        """The text of a cell."""
        if column == self.LANGUAGE:
            return label(row.language)
        if column == self.TAGS:
            return ", ".join(row.tags)
        if column in (self.INFLUENCE, self.INTEREST):
            value = row.influence if column == self.INFLUENCE else row.interest
            return "" if value is None else str(value)
        return getattr(row, self.COLUMNS[column].value)
