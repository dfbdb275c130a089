"""Conferences: the list, and for the selected one its agenda, participants and rooms."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import QLabel, QSplitter, QTabWidget, QVBoxLayout, QWidget

from smartconf.core.dto import ConferenceRow
from smartconf.services.conferences import list_conferences
from smartconf.services.overview import (
    conference_agenda,
    conference_participants,
    conference_rooms,
)
from smartconf.ui.formatting import fill, format_period_in
from smartconf.ui.models.base import ROW_ROLE
from smartconf.ui.models.conferences import (
    AgendaTableModel,
    ConferenceListModel,
    ParticipantTableModel,
    RoomTableModel,
)
from smartconf.ui.pages.base import Page
from smartconf.ui.widgets.heading import heading
from smartconf.ui.widgets.views import EmptyState, table_view

PARTICIPANTS_TAB = 1  # tabs: agenda, participants, rooms


class ConferencesPage(Page):
    def __init__(self, database, parent=None) -> None:
        super().__init__(database, parent)
        self.selected_id: int | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Conferences")))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self._list())
        splitter.addWidget(self._details())
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([150, 600])
        layout.addWidget(splitter, 1)

    def title(self) -> str:
        return self.tr("Conferences")

    def _list(self) -> QWidget:
        self.conferences = ConferenceListModel(self)
        self.conferences_view = table_view(
            self.conferences, widths={ConferenceListModel.CODE: 110,
                                      ConferenceListModel.DATES: 190,
                                      ConferenceListModel.VENUE: 220,
                                      ConferenceListModel.PARTICIPANTS: 100},
            stretch=ConferenceListModel.TITLE, sort_column=ConferenceListModel.DATES)
        self.conferences_view.selectionModel().currentRowChanged.connect(self._on_current)
        return EmptyState(self.conferences_view, self.tr("No conferences yet."))

    def _details(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.detail_title = heading("", scale=1.15)
        self.detail_info = QLabel()
        self.detail_info.setWordWrap(True)
        layout.addWidget(self.detail_title)
        layout.addWidget(self.detail_info)
        self.tabs = QTabWidget()
        self.agenda = AgendaTableModel(self)
        self.participants = ParticipantTableModel(self)
        self.rooms = RoomTableModel(self)
        self.agenda_view = self._tab(self.agenda, self.tr("Agenda"),
                                     self.tr("No agenda sessions yet."),
                                     {AgendaTableModel.DAY: 90, AgendaTableModel.TIME: 100,
                                      AgendaTableModel.ROOM: 120, AgendaTableModel.KIND: 90,
                                      AgendaTableModel.SPEAKERS: 230},
                                     stretch=AgendaTableModel.TITLE)
        self.participants_view = self._tab(
            self.participants, self.tr("Participants"), self.tr("No participants yet."),
            {ParticipantTableModel.NAME: 200, ParticipantTableModel.ROLE: 110,
             ParticipantTableModel.STATUS: 110}, stretch=ParticipantTableModel.ORGANISATION)
        self.rooms_view = self._tab(self.rooms, self.tr("Rooms"), self.tr("No rooms yet."),
                                    {RoomTableModel.NAME: 300})
        layout.addWidget(self.tabs, 1)
        return box

    def _tab(self, model, title: str, empty: str, widths: dict[int, int],
             stretch: int | None = None):
        view = table_view(model, widths=widths, stretch=stretch)
        self.tabs.addTab(EmptyState(view, empty), title)
        return view

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

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = current.data(ROW_ROLE) if current.isValid() else None
        if row is None or row.id != self.selected_id:
            self._show(row)

    def _show(self, row: ConferenceRow | None) -> None:
        self.selected_id = row.id if row else None
        if row is None:
            self.detail_title.setText(self.tr("No conference selected"))
            self.detail_info.clear()
            for model in (self.agenda, self.participants, self.rooms):
                model.set_rows([])
            return
        self.detail_title.setText(row.title)
        info = [row.code, format_period_in(row.starts_at, row.ends_at, row.timezone), row.venue,
                fill(self.tr("Times in %1"), row.timezone)]
        self.detail_info.setText(" · ".join(p for p in info if p))
        self.agenda.set_rows(self.read(conference_agenda, row.id))
        self.participants.set_rows(self.read(conference_participants, row.id))
        self.rooms.set_rows(self.read(conference_rooms, row.id))
        self.tabs.setTabText(PARTICIPANTS_TAB, fill(self.tr("Participants (%1)"),
                                                    self.participants.rowCount()))

