"""Choosing the moderators, speakers and rapporteurs of a session: a search over the CRM
(folded: "colic" finds Čolić and Чолић, searched off the GUI thread as you type), and one
ordered list per role with Up, Down and Remove."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from smartconf.services.overview import Choice
from smartconf.services.timetable import find_persons
from smartconf.ui.crm.context import CrmContext
from smartconf.ui.crm.jobs import LatestJob

ID_ROLE = Qt.ItemDataRole.UserRole
SEARCH_DELAY_MS = 150
VISIBLE_ROWS = 4


def _list_height(widget: QWidget, rows: int) -> int:
    return widget.fontMetrics().height() * rows + 16


def _elide(view: QListWidget) -> None:
    """Long names and organisations end in "…" (their tooltip says all) rather than scroll."""
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setUniformItemSizes(True)


def _item(view: QListWidget, person: Choice) -> QListWidgetItem:
    item = QListWidgetItem(person.text, view)
    item.setData(ID_ROLE, person.value)
    item.setToolTip(person.text)
    return item


class PersonList(QWidget):
    """The persons of one role, in their order on the panel."""

    changed = Signal()

    def __init__(self, title: str, parent=None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        self.caption = QLabel(title)
        self.list = QListWidget()
        self.list.setFixedHeight(_list_height(self, VISIBLE_ROWS))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        _elide(self.list)
        self.caption.setBuddy(self.list)
        buttons = QHBoxLayout()
        self.up = QPushButton(self.tr("Up"))
        self.down = QPushButton(self.tr("Down"))
        self.remove = QPushButton(self.tr("Remove"))
        for button, slot in ((self.up, partial(self.move_current, -1)),
                             (self.down, partial(self.move_current, 1)),
                             (self.remove, self.remove_current)):
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, s=slot: s())
            buttons.addWidget(button)
        layout.addWidget(self.caption)
        layout.addWidget(self.list)
        layout.addLayout(buttons)

    def ids(self) -> tuple[int, ...]:
        return tuple(self.list.item(row).data(ID_ROLE) for row in range(self.list.count()))

    def texts(self) -> list[str]:
        return [self.list.item(row).text() for row in range(self.list.count())]

    def set_people(self, people: Sequence[Choice]) -> None:
        self.list.clear()
        for person in people:
            self._append(person)

    def add(self, person: Choice) -> None:
        """Add ``person`` at the end (a person already listed is only selected)."""
        if person.value not in self.ids():
            self._append(person)
            self.changed.emit()
        self.list.setCurrentRow(self.ids().index(person.value))

    def _append(self, person: Choice) -> None:
        _item(self.list, person)

    def move_current(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)
        self.changed.emit()

    def remove_current(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)
            self.changed.emit()


class PeoplePicker(QWidget):
    """A person search and the moderators, speakers and rapporteurs lists of a session."""

    def __init__(self, context: CrmContext, parent=None) -> None:
        super().__init__(parent)
        self.context = context
        self.search = QLineEdit()
        self.search.setObjectName("people_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Find a person by name or organisation, in any "
                                               "script"))
        self.results = QListWidget()
        self.results.setObjectName("people_results")
        self.results.setFixedHeight(_list_height(self, VISIBLE_ROWS))
        _elide(self.results)
        self.results.itemActivated.connect(lambda _item: self.add_to(self.speakers))
        self.moderators = PersonList(self.tr("Moderators"))
        self.speakers = PersonList(self.tr("Speakers"))
        self.rapporteurs = PersonList(self.tr("Rapporteurs"))
        self._build()
        self._job = LatestJob(self)
        self._job.finished.connect(self._show_results)
        self._job.failed.connect(lambda _exc: self._show_results([]))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _text: self._timer.start())

    def _build(self) -> None:
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search, 0, 0, 1, 3)
        layout.addWidget(self.results, 1, 0, 1, 2)
        adds = QVBoxLayout()
        for text, target in ((self.tr("Add as &moderator"), self.moderators),
                             (self.tr("Add as s&peaker"), self.speakers),
                             (self.tr("Add as ra&pporteur"), self.rapporteurs)):
            button = QPushButton(text)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, t=target: self.add_to(t))
            adds.addWidget(button)
        adds.addStretch(1)
        layout.addLayout(adds, 1, 2)
        for column, people in enumerate((self.moderators, self.speakers, self.rapporteurs)):
            layout.addWidget(people, 2, column)

    def set_people(self, moderators: Sequence[int], speakers: Sequence[int],
                   rapporteurs: Sequence[int], labels: Mapping[int, str]) -> None:
        for target, ids in ((self.moderators, moderators), (self.speakers, speakers),
                            (self.rapporteurs, rapporteurs)):
            target.set_people([Choice(i, labels.get(i, str(i))) for i in ids])

    def run_search(self) -> None:
        """Search for the typed text now (typing waits a moment)."""
        self._timer.stop()
        self._job.submit(partial(self.context.read, find_persons, self.search.text()))

    def _show_results(self, found: list[Choice]) -> None:
        self.results.clear()
        for person in found:
            _item(self.results, person)
        if found:
            self.results.setCurrentRow(0)

    def add_to(self, target: PersonList) -> None:
        """Add the chosen search result to ``target``'s list."""
        item = self.results.currentItem()
        if item is not None:
            target.add(Choice(item.data(ID_ROLE), item.text()))
