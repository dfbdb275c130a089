"""Conferences: the list (New, Edit, Cancel), and for the selected one its invitation funnel,
the day timetable, the agenda list, participants and rooms, and the agenda PDF.

Writes go through ``PlanningChanges``; the agenda's are undoable (``undo_stack``).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from smartconf.core.dto import ConferenceRow
from smartconf.core.enums import ConferenceStatus
from smartconf.core.errors import SmartconfError
from smartconf.services.conferences import list_conferences
from smartconf.services.overview import (
    RoomRow,
    conference_agenda,
    conference_rooms,
)
from smartconf.services.planning import ConferenceInput
from smartconf.services.timetable import (
    Timetable,
    conference_form,
    conference_funnel,
    report_choices,
)
from smartconf.store.database import Database
from smartconf.ui.crm.context import CrmContext, current_actor
from smartconf.ui.crm.form import ask
from smartconf.ui.errors import error_box
from smartconf.ui.formatting import fill, format_period_in
from smartconf.ui.invitations.funnel_bar import FunnelBar
from smartconf.ui.invitations.participants_panel import ParticipantsPanel
from smartconf.ui.labels import label
from smartconf.ui.models.base import ROW_ROLE
from smartconf.ui.models.conferences import AgendaTableModel, ConferenceListModel, RoomTableModel
from smartconf.ui.pages.base import Page
from smartconf.ui.planning.agenda_pdf_dialog import AgendaPdfDialog
from smartconf.ui.planning.changes import PlanningChanges
from smartconf.ui.planning.conference_dialog import ConferenceDialog, blank_conference
from smartconf.ui.planning.room_dialog import RoomDialog
from smartconf.ui.planning.timetable_panel import TimetablePanel
from smartconf.ui.widgets.heading import heading
from smartconf.ui.widgets.views import EmptyState, table_view

TIMETABLE_TAB, AGENDA_TAB, PARTICIPANTS_TAB, ROOMS_TAB = range(4)
STATUS_MESSAGE_MS = 6000
_CANCELLED_COLOUR = QColor(130, 130, 130)


class ConferenceTableModel(ConferenceListModel):
    """The conference list with each conference's status (cancelled ones greyed)."""

    STATUS, PARTICIPANTS = 4, 5
    COLUMN_COUNT = 6

    def headers(self):
        headers = list(super().headers())
        headers.insert(self.STATUS, self.tr("Status"))
        return headers

    def display(self, row: ConferenceRow, column: int) -> str:
        if column == self.STATUS:
            return label(ConferenceStatus(row.status))
        return super().display(row, column)

    def cell_data(self, row: ConferenceRow, column: int, role: int):
        if role == Qt.ItemDataRole.ForegroundRole and row.status == ConferenceStatus.CANCELLED:
            return _CANCELLED_COLOUR
        return super().cell_data(row, column, role)


class ConferencesPage(Page):
    def __init__(self, database: Database, parent=None, *, actor: str | None = None) -> None:
        super().__init__(database, parent)
        self.context = CrmContext(database, actor or current_actor())
        self.changes = PlanningChanges(self.context, self)
        self.undo_stack = self.changes.stack
        self.changes.conference_changed.connect(self._on_conference_changed)
        self.selected_id: int | None = None
        self.dialog: QWidget | None = None  # the last dialog or question opened
        self.error_dialog: QMessageBox | None = None
        layout = QVBoxLayout(self)
        layout.addLayout(self._title_row())
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self._list())
        splitter.addWidget(self._details())
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([120, 640])
        layout.addWidget(splitter, 1)
        self._update_actions()

    def title(self) -> str:
        return self.tr("Conferences")

    # --- building ------------------------------------------------------------------------

    def _title_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(heading(self.tr("Conferences")), 1)
        bar = QToolBar()
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.new_action = self._action(self.tr("&New conference…"), self.new_conference,
                                       QKeySequence(QKeySequence.StandardKey.New))
        self.edit_action = self._action(self.tr("&Edit…"), self.edit_conference)
        self.cancel_action = self._action(self.tr("&Cancel conference…"),
                                          self.cancel_conference)
        self.pdf_action = self._action(self.tr("Agenda &PDF…"), self.export_agenda)
        bar.addActions([self.new_action, self.edit_action, self.cancel_action])
        bar.addSeparator()
        bar.addAction(self.pdf_action)
        row.addWidget(bar, 0, Qt.AlignmentFlag.AlignBottom)
        return row

    def _action(self, text: str, slot, shortcut: QKeySequence | None = None,
                widget: QWidget | None = None) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(lambda _checked=False: slot())
        if shortcut is not None:
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            (widget or self).addAction(action)
        return action

    def _list(self) -> QWidget:
        self.conferences = ConferenceTableModel(self)
        self.conferences_view = table_view(
            self.conferences, widths={ConferenceTableModel.CODE: 110,
                                      ConferenceTableModel.DATES: 190,
                                      ConferenceTableModel.VENUE: 220,
                                      ConferenceTableModel.STATUS: 130,
                                      ConferenceTableModel.PARTICIPANTS: 100},
            stretch=ConferenceTableModel.TITLE, sort_column=ConferenceTableModel.DATES)
        self.conferences_view.setObjectName("conferences_view")
        self.conferences_view.selectionModel().currentRowChanged.connect(self._on_current)
        self.conferences_view.doubleClicked.connect(lambda _index: self.edit_conference())
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2):
            self._action(self.tr("Edit"), self.edit_conference, QKeySequence(key),
                         self.conferences_view)
        return EmptyState(self.conferences_view,
                          self.tr("No conferences yet. Create one with New conference "
                                  "(Ctrl+N)."))

    def _details(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.detail_title = heading("", scale=1.15)
        self.detail_info = QLabel()
        self.detail_info.setWordWrap(True)
        self.funnel = FunnelBar()
        self.funnel.setObjectName("conference_funnel")
        layout.addWidget(self.detail_title)
        layout.addWidget(self.detail_info)
        layout.addWidget(self.funnel)
        self.tabs = QTabWidget()
        self.timetable = TimetablePanel(self.changes)
        self.timetable.loaded.connect(self._on_timetable_loaded)
        self.tabs.addTab(self.timetable, self.tr("Timetable"))
        self.agenda = AgendaTableModel(self)
        self.rooms = RoomTableModel(self)
        self.agenda_view = self._tab(self.agenda, self.tr("Agenda"),
                                     self.tr("No agenda sessions yet."),
                                     {AgendaTableModel.DAY: 90, AgendaTableModel.TIME: 100,
                                      AgendaTableModel.ROOM: 120, AgendaTableModel.KIND: 90,
                                      AgendaTableModel.SPEAKERS: 230},
                                     stretch=AgendaTableModel.TITLE)
        self.agenda_view.doubleClicked.connect(self._edit_agenda_row)
        self.participants_panel = ParticipantsPanel(self.database, self.context.actor)
        self.participants_panel.funnel.hide()  # the page shows the funnel above the tabs
        self.participants_panel.changed.connect(self._refresh_funnel)
        self.participants = self.participants_panel.model
        self.tabs.addTab(self.participants_panel, self.tr("Participants"))
        self.tabs.addTab(self._rooms_tab(), self.tr("Rooms"))
        layout.addWidget(self.tabs, 1)
        return box

    def _tab(self, model, title: str, empty: str, widths: dict[int, int],
             stretch: int | None = None):
        view = table_view(model, widths=widths, stretch=stretch)
        self.tabs.addTab(EmptyState(view, empty), title)
        return view

    def _rooms_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(4, 4, 4, 4)
        bar = QToolBar()
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.add_room_action = self._action(self.tr("&Add room…"), self.add_room)
        self.edit_room_action = self._action(self.tr("Edit room…"), self.edit_room)
        self.delete_room_action = self._action(self.tr("Delete room"), self.delete_room)
        bar.addActions([self.add_room_action, self.edit_room_action, self.delete_room_action])
        layout.addWidget(bar)
        self.rooms_view = table_view(self.rooms, widths={RoomTableModel.NAME: 300})
        self.rooms_view.doubleClicked.connect(lambda _index: self.edit_room())
        layout.addWidget(EmptyState(self.rooms_view, self.tr("No rooms yet.")), 1)
        return tab

    # --- loading -------------------------------------------------------------------------

    def reload(self) -> None:
        keep = self.selected_id
        self.conferences.set_rows(self.read(list_conferences))
        self.select_conference(keep)

    def select_conference(self, conference_id: int | None) -> None:
        """Select the conference with ``conference_id`` (else the first one) and show it."""
        row = self.conferences.row_of_id(conference_id) if conference_id is not None else -1
        if row < 0 and self.conferences.rowCount():
            row = 0
        index = self.conferences.index(row, 0) if row >= 0 else QModelIndex()
        if index.isValid():
            self.conferences_view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
        self._show(self.conferences.row_at(index))

    def selected_row(self) -> ConferenceRow | None:
        row = self.conferences.row_of_id(self.selected_id) if self.selected_id else -1
        return self.conferences.rows()[row] if row >= 0 else None

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = current.data(ROW_ROLE) if current.isValid() else None
        if row is None or row.id != self.selected_id:
            self._show(row)

    def _show(self, row: ConferenceRow | None) -> None:
        self.selected_id = row.id if row else None
        self._update_actions()
        self.timetable.set_conference(self.selected_id)
        self.participants_panel.set_conference(self.selected_id)
        if row is None:
            self.detail_title.setText(self.tr("No conference selected"))
            self.detail_info.clear()
            self.funnel.set_funnel(None)
            self.tabs.setTabText(PARTICIPANTS_TAB, self.tr("Participants"))
            for model in (self.agenda, self.rooms):
                model.set_rows([])
            return
        self.detail_title.setText(row.title)
        info = [row.code, format_period_in(row.starts_at, row.ends_at, row.timezone), row.venue,
                label(ConferenceStatus(row.status)), fill(self.tr("Times in %1"), row.timezone)]
        self.detail_info.setText(" · ".join(p for p in info if p))
        self._refresh_funnel()
        self.agenda.set_rows(self.read(conference_agenda, row.id))
        self.rooms.set_rows(self.read(conference_rooms, row.id))

    def _refresh_funnel(self) -> None:
        """The funnel above the tabs, and the count on the Participants tab."""
        if self.selected_id is None:
            return
        funnel = self.read(conference_funnel, self.selected_id)
        self.funnel.set_funnel(funnel)
        self.tabs.setTabText(PARTICIPANTS_TAB, fill(self.tr("Participants (%1)"),
                                                    funnel.total))

    def _on_timetable_loaded(self, loaded: Timetable | None) -> None:
        if loaded is not None and loaded.conference_id == self.selected_id:
            self.agenda.set_rows(loaded.agenda)

    def _update_actions(self) -> None:
        row = self.selected_row()
        for action in (self.edit_action, self.pdf_action, self.add_room_action,
                       self.edit_room_action, self.delete_room_action):
            action.setEnabled(row is not None)
        self.cancel_action.setEnabled(row is not None
                                      and row.status != ConferenceStatus.CANCELLED)

    # --- conferences ---------------------------------------------------------------------

    def new_conference(self) -> None:
        """Open the dialog for a new conference; it is selected once created."""
        self._open(ConferenceDialog(blank_conference(datetime.now()), self._reports(),
                                    self._create, new=True, parent=self))

    def _create(self, data: ConferenceInput) -> None:
        self.selected_id = self.changes.create_conference(data)
        self.reload()

    def edit_conference(self) -> None:
        conference_id = self.selected_id
        if conference_id is None:
            return
        try:
            data = self.read(conference_form, conference_id)
        except SmartconfError as exc:
            self.show_error(exc)
            return
        self._open(ConferenceDialog(
            data, self._reports(),
            lambda d: self.changes.update_conference(conference_id, d), new=False,
            parent=self))

    def cancel_conference(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        self.dialog = ask(
            self, self.tr("Cancel conference"),
            fill(self.tr("Call off %1 “%2”? Its participants keep their statuses; the "
                         "calendar invitations are withdrawn when invitations are next sent. "
                         "Setting another status in Edit reinstates it."), row.code, row.title),
            self.tr("Cancel &conference"),
            lambda: self._write(self.changes.cancel_conference, row.id))

    def _reports(self):
        return self.read(report_choices)

    def _on_conference_changed(self, conference_id: int) -> None:
        self.selected_id = conference_id
        self.reload()

    # --- rooms ---------------------------------------------------------------------------

    def _selected_room(self) -> RoomRow | None:
        return self.rooms.row_at(self.rooms_view.currentIndex())

    def add_room(self) -> None:
        conference_id = self.selected_id
        if conference_id is not None:
            self._open(RoomDialog(None, lambda name, seats: self.changes.add_room(
                conference_id, name, seats), parent=self))

    def edit_room(self) -> None:
        room, conference_id = self._selected_room(), self.selected_id
        if room is not None and conference_id is not None:
            self._open(RoomDialog(room, lambda name, seats: self.changes.update_room(
                conference_id, room.id, name, seats), parent=self))

    def delete_room(self) -> None:
        room, conference_id = self._selected_room(), self.selected_id
        if room is None or conference_id is None:
            return
        self.dialog = ask(self, self.tr("Delete room"),
                          fill(self.tr("Delete the room %1?"), room.name), self.tr("&Delete"),
                          lambda: self._write(self.changes.delete_room, conference_id, room.id))

    # --- agenda --------------------------------------------------------------------------

    def _edit_agenda_row(self, index: QModelIndex) -> None:
        row = self.agenda.row_at(index)
        if row is not None:
            self.timetable.edit_session(row.id)

    def export_agenda(self) -> None:
        """Ask for the languages and the file, and write the agenda PDF."""
        row = self.selected_row()
        if row is None:
            return
        dialog = AgendaPdfDialog(self.context, row.id, row.code, parent=self)
        dialog.saved.connect(lambda path: self.notify(fill(self.tr("Agenda saved to %1"),
                                                           Path(path))))
        self._open(dialog)

    # --- shared --------------------------------------------------------------------------

    def _open(self, dialog: QWidget) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()

    def _write(self, operation, *args) -> None:
        try:
            operation(*args)
        except SmartconfError as exc:
            self.show_error(exc)

    def show_error(self, exc: BaseException) -> None:
        box = error_box(exc, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.error_dialog = box
        box.open()

    def notify(self, text: str) -> None:
        """A passing message in the main window's status bar."""
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, STATUS_MESSAGE_MS)
