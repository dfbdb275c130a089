"""The Timetable tab of a conference: its days, the timetable, the conflicts below it, and the
session dialogs. It reads the timetable off the GUI thread and writes through
``PlanningChanges`` (undoable), so a drag or a key costs the GUI thread one short write."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import partial

from PySide6.QtCore import QDate, QLocale, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QLabel,
    QMessageBox,
    QSplitter,
    QTabBar,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from smartconf.core.enums import AgendaSessionKind
from smartconf.core.errors import SmartconfError
from smartconf.services.planning import AgendaSessionInput
from smartconf.services.timetable import (
    Block,
    Timetable,
    finding_choices,
    session_form,
    timetable,
)
from smartconf.ui.crm.form import ask
from smartconf.ui.crm.jobs import LatestJob
from smartconf.ui.errors import error_box
from smartconf.ui.formatting import fill
from smartconf.ui.planning.changes import Placement, PlanningChanges
from smartconf.ui.planning.conflicts import ConflictList
from smartconf.ui.planning.session_dialog import SessionDialog
from smartconf.ui.planning.timetable import TimetableView

# After a write the timetable is read again once the writes pause: a key held down or pressed
# in quick succession moves the block at once (it is drawn where it was written) and the
# conflicts follow when the user stops, instead of a read per key racing the writes.
RELOAD_DELAY_MS = 150


class TimetablePanel(QWidget):
    """Days, timetable and conflicts of one conference. ``loaded(Timetable)`` follows every
    read (the page shows the same sessions in its agenda list)."""

    loaded = Signal(object)

    def __init__(self, changes: PlanningChanges, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("timetable_panel")
        self.changes = changes
        self.context = changes.context
        self.conference_id: int | None = None
        self.timetable: Timetable | None = None
        self.dialog: QWidget | None = None  # the last dialog or question opened
        self.error_dialog: QMessageBox | None = None
        self._select_after: int | None = None
        self._job = LatestJob(self)
        self._job.finished.connect(self._on_loaded)
        self._job.failed.connect(self.show_error)
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(lambda: self.reload(self._pending_select))
        self._pending_select: int | None = None
        self.view = TimetableView()
        self.conflicts = ConflictList()
        self.days = QTabBar()
        self.days.setObjectName("timetable_days")
        self.days.setExpanding(False)
        self.days.currentChanged.connect(self._on_day_tab)
        self._build()
        self._connect()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        bar = QToolBar()
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.addWidget(self.days)
        spacer = QWidget()
        spacer.setSizePolicy(spacer.sizePolicy().Policy.Expanding,
                             spacer.sizePolicy().Policy.Preferred)
        bar.addWidget(spacer)
        self.new_action = bar.addAction(self.tr("New session…"))
        self.new_action.setToolTip(self.tr("New session (Ctrl+N in the timetable, or drag on "
                                           "an empty area)"))
        self.new_action.triggered.connect(lambda _checked=False: self.view.request_new())
        self.undo_action = self.changes.stack.createUndoAction(self, self.tr("Undo"))
        self.redo_action = self.changes.stack.createRedoAction(self, self.tr("Redo"))
        bar.addActions([self.undo_action, self.redo_action])
        layout.addWidget(bar)
        below = QWidget()
        column = QVBoxLayout(below)
        column.setContentsMargins(0, 0, 0, 0)
        self.conflicts_caption = QLabel()
        font = self.conflicts_caption.font()
        font.setBold(True)
        self.conflicts_caption.setFont(font)
        column.addWidget(self.conflicts_caption)
        column.addWidget(self.conflicts, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(below)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([560, 70])
        layout.addWidget(self.splitter, 1)

    def _connect(self) -> None:
        view = self.view
        view.move_requested.connect(partial(self._place, self.changes.move_session))
        view.resize_requested.connect(partial(self._place, self.changes.resize_session))
        view.create_requested.connect(self.new_session)
        view.edit_requested.connect(self.edit_session)
        view.delete_requested.connect(self.delete_session)
        view.undo_requested.connect(self.changes.stack.undo)
        view.redo_requested.connect(self.changes.stack.redo)
        self.conflicts.session_chosen.connect(self.select_session)
        self.changes.agenda_changed.connect(self._on_agenda_changed)
        self.changes.failed.connect(self._on_refused)

    # --- loading -------------------------------------------------------------------------

    def set_conference(self, conference_id: int | None) -> None:
        """Show the timetable of ``conference_id`` (None: nothing)."""
        if conference_id != self.conference_id:
            self.view.select(None, emit=False)
        self.conference_id = conference_id
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        """Read the timetable again (off the GUI thread), then select ``select_id``."""
        self._reload_timer.stop()
        self._select_after = select_id
        if self.conference_id is None:
            self._job.cancel()
            self._show(None)
            return
        self._job.submit(partial(self.context.read, timetable, self.conference_id))

    def is_loading(self) -> bool:
        """Whether a read is running or due (the timetable shown may be about to change)."""
        return self._job.is_busy() or self._reload_timer.isActive()

    def _on_loaded(self, loaded: Timetable) -> None:
        if loaded.conference_id == self.conference_id:
            self._show(loaded)

    def _show(self, loaded: Timetable | None) -> None:
        self.timetable = loaded
        self.view.set_timetable(loaded, self._select_after)
        self._select_after = None
        self._sync_day_tabs()
        conflicts = loaded.conflicts if loaded else ()
        self.conflicts.set_conflicts(conflicts)
        self.conflicts.setVisible(bool(conflicts))
        self.conflicts_caption.setText(
            fill(self.tr("Conflicts (%1) — click one to select its session"), len(conflicts))
            if conflicts else self.tr("No conflicts."))
        self.new_action.setEnabled(loaded is not None)
        self.loaded.emit(loaded)

    def _sync_day_tabs(self) -> None:
        days = self.view.days()
        self.days.blockSignals(True)
        while self.days.count():
            self.days.removeTab(0)
        for day in days:
            self.days.setTabData(self.days.addTab(_day_text(day)), day)
        if self.view.day in days:
            self.days.setCurrentIndex(days.index(self.view.day))
        self.days.blockSignals(False)

    def _on_day_tab(self, index: int) -> None:
        if index >= 0:
            self.view.show_day(self.days.tabData(index))

    def show_day(self, day: date) -> None:
        days = self.view.days()
        if day in days:
            self.days.setCurrentIndex(days.index(day))

    def select_session(self, session_id: int) -> None:
        """Show the day of the session, select it and give the timetable the focus."""
        block = self.timetable.block(session_id) if self.timetable else None
        if block is None:
            return
        self.show_day(block.starts_at.date())
        self.view.select(session_id)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- writing -------------------------------------------------------------------------

    def _place(self, write, block: Block, before: Placement, after: Placement) -> None:
        try:
            write(self.conference_id, block.id, before, after, block.title)
        except SmartconfError as exc:
            self.view.revert()
            self.show_error(exc)
            return
        self.view.apply_block(replace(block, starts_at=after.starts_at, ends_at=after.ends_at,
                                      room_id=after.room_id))

    def _on_agenda_changed(self, conference_id: int, select_id: int) -> None:
        if conference_id == self.conference_id:
            self._pending_select = select_id if select_id >= 0 else None
            self._reload_timer.start()

    def _on_refused(self, exc: SmartconfError) -> None:
        self.show_error(exc)
        self.reload()

    def new_session(self, place: Placement) -> None:
        """Open the session dialog for a new session at ``place``."""
        if self.conference_id is None:
            return
        data = AgendaSessionInput(kind=AgendaSessionKind.PANEL, title="",
                                  starts_at=place.starts_at, ends_at=place.ends_at,
                                  room_id=place.room_id)
        conference_id = self.conference_id
        self._open_dialog(data, {}, new=True, on_submit=lambda d: self.changes.create_session(
            conference_id, d))

    def edit_session(self, session_id: int) -> None:
        try:
            form = self.context.read(session_form, session_id)
        except SmartconfError as exc:
            self.show_error(exc)
            return
        conference_id = self.conference_id
        self._open_dialog(form.data, form.people, new=False,
                          on_submit=lambda d: self.changes.update_session(conference_id,
                                                                          session_id, d))

    def _open_dialog(self, data: AgendaSessionInput, people: dict[int, str], *, new: bool,
                     on_submit) -> None:
        try:
            findings = self.context.read(finding_choices, self.conference_id)
        except SmartconfError as exc:
            self.show_error(exc)
            return
        dialog = SessionDialog(self.context, data, rooms=self.timetable.rooms,
                               findings=findings, people=people,
                               timezone=self.timetable.timezone, on_submit=on_submit, new=new,
                               parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self.view.setFocus())
        self.dialog = dialog
        dialog.open()

    def delete_session(self, session_id: int) -> None:
        block = self.timetable.block(session_id) if self.timetable else None
        if block is None:
            return
        conference_id = self.conference_id
        self.dialog = ask(self, self.tr("Delete session"),
                          fill(self.tr("Delete “%1”? Undo (Ctrl+Z) puts it back."), block.title),
                          self.tr("&Delete"),
                          lambda: self._write(self.changes.delete_session, conference_id,
                                              session_id))

    def _write(self, operation, *args) -> None:
        try:
            operation(*args)
        except SmartconfError as exc:
            self.show_error(exc)

    def show_error(self, exc: BaseException) -> None:
        """Say why, without blocking (the timetable stays usable behind the box)."""
        box = error_box(exc, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.error_dialog = box
        box.open()


def _day_text(day: date) -> str:
    return QLocale().toString(QDate(day.year, day.month, day.day), "ddd d MMM")
