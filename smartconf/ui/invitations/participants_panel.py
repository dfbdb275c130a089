"""The participants of one conference: the funnel, a filterable list with consent, badge and
message state, and what coordinators do to it (add, set status or role in bulk, decide on
consent, promote the waitlist, send the invitations, import the replies dropped on it)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from smartconf.core.enums import ParticipantRole, ParticipantStatus
from smartconf.services.invitations import (
    StatusReport,
    allowed_transitions,
    promote_waitlist,
    set_role,
    set_status,
)
from smartconf.services.planning import get_conference_by_id
from smartconf.services.roster import Roster, RosterRow, matching, participant_roster
from smartconf.store.database import Database
from smartconf.ui.crm.context import CrmContext
from smartconf.ui.crm.empty_state import ActionEmptyState
from smartconf.ui.crm.jobs import LatestJob
from smartconf.ui.formatting import fill
from smartconf.ui.invitations.add_participants_dialog import AddParticipantsDialog
from smartconf.ui.invitations.consent_decision_dialog import ConsentDecisionDialog
from smartconf.ui.invitations.funnel_bar import FunnelBar
from smartconf.ui.invitations.notices import show_failure, show_refusal
from smartconf.ui.invitations.outbox_dialog import SendInvitationsDialog
from smartconf.ui.invitations.roster_model import RosterTableModel
from smartconf.ui.invitations.rsvp_import import (
    RsvpOutcome,
    RsvpResultDialog,
    import_reply_files,
    reply_paths,
)
from smartconf.ui.labels import label
from smartconf.ui.stakeholder_tools.common import last_folder
from smartconf.ui.widgets.views import table_view
from smartconf.ui.workers import Worker

M = RosterTableModel
WIDTHS = {M.NAME: 180, M.ROLE: 90, M.STATUS: 90, M.CONSENT: 160, M.BADGE: 55,
          M.SEQUENCE: 75, M.MESSAGE: 190}


class ParticipantsPanel(QWidget):
    """The Participants tab of a conference (``set_conference``).

    ``loaded`` after the list was (re)read; ``changed`` after a write from here.
    """

    loaded = Signal()
    changed = Signal()

    def __init__(self, database: Database, actor: str, parent=None) -> None:
        super().__init__(parent)
        self.context = CrmContext(database, actor)
        self.conference_id: int | None = None
        self.roster: Roster | None = None
        self.dialog: QWidget | None = None  # the latest dialog opened from here
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.funnel = FunnelBar()
        layout.addWidget(self.funnel)
        layout.addLayout(self._filter_row())
        layout.addWidget(self._toolbar())
        self.model = RosterTableModel(self)
        self.view = table_view(self.model, widths=WIDTHS, stretch=M.ORGANISATION)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setObjectName("participants_view")
        self.view.selectionModel().selectionChanged.connect(self._update_actions)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.empty = ActionEmptyState(self.view, "")
        self.empty.button.clicked.connect(self._on_empty_action)
        layout.addWidget(self.empty, 1)
        self.status = QLabel()
        self.status.setObjectName("participants_status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self._loader = LatestJob(self)
        self._loader.finished.connect(self._show_roster)
        self._loader.failed.connect(lambda exc: show_failure(self, exc))
        self._importer = Worker(self)
        self._importer.finished.connect(self._on_imported)
        self._importer.failed.connect(self._on_import_failed)
        self._show_roster(None)

    # --- building --------------------------------------------------------------------------

    def _filter_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("participants_search")
        self.search.setPlaceholderText(self.tr("Filter by name or organisation"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._apply_filter)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("status_filter")
        self.status_filter.addItem(self.tr("All statuses"), None)
        for status in ParticipantStatus:
            self.status_filter.addItem(label(status), status)
        self.status_filter.currentIndexChanged.connect(self._apply_filter)
        self.flagged_only = QCheckBox(self.tr("Without &consent only"))
        self.flagged_only.toggled.connect(self._apply_filter)
        row.addWidget(self.search, 1)
        row.addWidget(self.status_filter)
        row.addWidget(self.flagged_only)
        return row

    def _toolbar(self) -> QToolBar:
        """The actions; on a narrow window the last ones move behind the toolbar's arrow."""
        bar = QToolBar()
        bar.setObjectName("participants_actions")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.add_action = self._action(bar, self.tr("&Add participants…"),
                                       self.add_participants)
        self.status_menu, self.status_actions = self._menu(
            bar, self.tr("Set s&tatus"), ParticipantStatus, self.set_status)
        self.role_menu, self.role_actions = self._menu(
            bar, self.tr("Set &role"), ParticipantRole, self.set_role)
        self.consent_action = self._action(bar, self.tr("&Decide consent…"),
                                           self.decide_consent)
        self.promote_action = self._action(bar, self.tr("&Promote waitlist"),
                                           self.promote_waitlist)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        self.send_action = self._action(bar, self.tr("Send &invitations…"),
                                        self.send_invitations)
        self.import_action = self._action(bar, self.tr("Import r&eplies…"),
                                          lambda: self.import_replies())
        self.import_action.setToolTip(self.tr("Read Accept / Tentative / Decline replies "
                                              "(.ics or .eml files); you can also drop them "
                                              "on this list."))
        return bar

    def _action(self, bar: QToolBar, text: str, slot) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(lambda _checked=False: slot())
        bar.addAction(action)
        return action

    def _menu(self, bar: QToolBar, text: str, values, slot) -> tuple[QAction, dict]:
        menu = QMenu(self)
        actions = {}
        for value in values:
            action = QAction(label(value), menu)
            action.triggered.connect(partial(slot, value))
            menu.addAction(action)
            actions[value] = action
        opener = menu.menuAction()
        opener.setText(text)
        bar.addAction(opener)
        button = bar.widgetForAction(opener)
        if isinstance(button, QToolButton):
            button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        return opener, actions

    def _context_menu(self, where: QPoint) -> None:
        menu = QMenu(self)
        menu.addActions([self.status_menu, self.role_menu, self.consent_action])
        menu.addSeparator()
        menu.addActions([self.add_action, self.import_action])
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.view.viewport().mapToGlobal(where))

    # --- loading ---------------------------------------------------------------------------

    def set_conference(self, conference_id: int | None) -> None:
        """Show the participants of ``conference_id`` (None: no conference)."""
        if conference_id != self.conference_id:
            self.view.clearSelection()
        self.conference_id = conference_id
        self.reload()

    def reload(self) -> None:
        """Read the list again (off the GUI thread); ``loaded`` when shown."""
        if self.conference_id is None:
            self._show_roster(None)
            return
        if self.roster is None or self.roster.conference_id != self.conference_id:
            self.status.setText(self.tr("Loading…"))  # a message after a write stays
        self._loader.submit(partial(self.context.read, participant_roster, self.conference_id))

    def _show_roster(self, roster: Roster | None) -> None:
        if roster is not None and roster.conference_id != self.conference_id:
            return  # an answer about the conference shown before
        keep = {row.id for row in self.selected_rows()}
        self.roster = roster
        self.funnel.set_funnel(roster.funnel if roster else None)
        self._apply_filter()
        self.select_participants(keep)
        if self.status.text() == self.tr("Loading…"):
            self.status.clear()
        self.loaded.emit()

    def _apply_filter(self) -> None:
        rows = self.roster.rows if self.roster else ()
        shown = matching(rows, text=self.search.text(), status=self.status_filter.currentData(),
                         flagged_only=self.flagged_only.isChecked())
        self.model.set_rows(shown)
        self._update_empty(bool(rows))
        self._update_actions()

    def _update_empty(self, has_rows: bool) -> None:
        if self.conference_id is None:
            self.empty.set_message(self.tr("Choose a conference to see its participants."))
            self.empty.set_action(None)
        elif not has_rows:
            self.empty.set_message(self.tr(
                "Nobody is on the list of this conference yet. Add everyone a saved filter "
                "of the CRM finds, or pick persons by name; you can also drop reply files "
                "here."))
            self.empty.set_action(self.tr("Add participants…"))
        else:
            self.empty.set_message(self.tr("No participant matches the filter."))
            self.empty.set_action(self.tr("Clear the filter"))

    def _on_empty_action(self) -> None:
        if self.roster is not None and self.roster.rows:
            self.clear_filter()
        else:
            self.add_participants()

    def clear_filter(self) -> None:
        self.search.clear()
        self.status_filter.setCurrentIndex(0)
        self.flagged_only.setChecked(False)

    # --- selection -------------------------------------------------------------------------

    def selected_rows(self) -> list[RosterRow]:
        """The selected participants, top to bottom."""
        return self.model.rows_in(self.view.selectionModel().selection())

    def select_participants(self, participant_ids) -> None:
        """Select the rows of these participants (those shown)."""
        self.view.selectionModel().select(self.model.selection_of(participant_ids),
                                          QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _update_actions(self) -> None:
        chosen = self.selected_rows()
        has_conference = self.conference_id is not None
        for action in (self.add_action, self.promote_action, self.send_action,
                       self.import_action):
            action.setEnabled(has_conference)
        self.status_menu.setEnabled(bool(chosen))
        self.role_menu.setEnabled(bool(chosen))
        self.consent_action.setEnabled(any(row.flagged for row in chosen))
        self.consent_action.setToolTip(self.tr(
            "Record why participants without consent to event invitations may be invited "
            "(select them first)."))
        allowed: set[ParticipantStatus] = set()
        for status in {row.status for row in chosen}:
            allowed |= allowed_transitions(status) | {status}
        for status, action in self.status_actions.items():  # what none of them may reach
            action.setEnabled(status in allowed)

    # --- writing ---------------------------------------------------------------------------

    def _write(self, refused_title: str, operation):
        """Run one service operation as the user; a refusal is shown, nothing written."""
        try:
            return self.context.write(operation)
        except Exception as exc:  # shown to the user, with the service's reason
            self.status.setText(self.tr("Nothing was changed."))
            show_refusal(self, refused_title, exc)
            return None

    def _written(self, message: str) -> None:
        self.status.setText(message)
        self.changed.emit()
        self.reload()

    def set_status(self, status: ParticipantStatus, _checked: bool = False) -> None:
        """Move the selected participants to ``status``: all of them, or none."""
        ids = [row.id for row in self.selected_rows()]
        if not ids:
            return
        report = self._write(self.tr("Status not changed"), lambda s, *, actor: set_status(
            s, get_conference_by_id(s, self.conference_id), ids, status, actor=actor))
        if report is not None:
            self._written(self._status_message(report, status))

    def _status_message(self, report: StatusReport, status: ParticipantStatus) -> str:
        waitlisted = {c.participant_id for c in report.waitlisted}
        changed = {c.participant_id for c in report.changed}
        moved = len(changed - waitlisted)
        already = [pid for pid in report.unchanged if pid not in changed]
        parts = [fill(self.tr("%n participant(s) now %1.", "", moved), label(status))]
        if report.waitlisted:
            parts.append(self.tr("%n put on the waitlist: no seat left.", "",
                                 len(report.waitlisted)))
        if report.promoted:
            parts.append(self.tr("%n moved up from the waitlist.", "", len(report.promoted)))
        if already:
            parts.append(self.tr("%n already had that status.", "", len(already)))
        return " ".join(parts)

    def set_role(self, role: ParticipantRole, _checked: bool = False) -> None:
        """Give the selected participants ``role``."""
        ids = [row.id for row in self.selected_rows()]
        if not ids:
            return
        done = self._write(self.tr("Role not changed"), lambda s, *, actor: len(set_role(
            s, get_conference_by_id(s, self.conference_id), ids, role, actor=actor)))
        if done is not None:
            self._written(fill(self.tr("%n participant(s) now %1.", "", done), label(role)))

    def promote_waitlist(self) -> None:
        """Move waitlisted participants up while seats are free."""
        if self.conference_id is None:
            return
        done = self._write(self.tr("Waitlist not promoted"), lambda s, *, actor: len(
            promote_waitlist(s, get_conference_by_id(s, self.conference_id), actor=actor)))
        if done is not None:
            self._written(self.tr("%n moved up from the waitlist.", "", done) if done else
                          self.tr("Nobody moved up: no seat is free, nobody is waiting, or "
                                  "the conference is closed."))

    # --- dialogs ---------------------------------------------------------------------------

    def _open(self, dialog, on_accepted=None):
        self.dialog = dialog
        if on_accepted is not None:
            dialog.accepted.connect(on_accepted)
        dialog.open()
        return dialog

    def add_participants(self) -> AddParticipantsDialog | None:
        """Open the dialog that shortlists persons from a saved filter or picked by name."""
        if self.conference_id is None:
            return None
        dialog = AddParticipantsDialog(self.context, self.conference_id, self)
        return self._open(dialog, lambda: self._written(fill(
            self.tr("%1 added to the list (shortlisted); %2 were already on it."),
            dialog.added, dialog.already_listed)))

    def decide_consent(self) -> ConsentDecisionDialog | None:
        """Open the decision dialog for the selected participants without consent."""
        flagged = [row for row in self.selected_rows() if row.flagged]
        if not flagged or self.conference_id is None:
            return None
        dialog = ConsentDecisionDialog(self.context, self.conference_id, flagged, self)
        return self._open(dialog, lambda: self._written(self.tr(
            "Decision recorded for %n participant(s).", "", len(flagged))))

    def send_invitations(self) -> SendInvitationsDialog | None:
        """Open the outbox of this conference."""
        if self.conference_id is None or self.roster is None:
            return None
        title = f"{self.roster.code} · {self.roster.title}"
        dialog = SendInvitationsDialog(self.context, self.conference_id, title, self)
        dialog.outbox_changed.connect(self.reload)
        return self._open(dialog)

    # --- replies ---------------------------------------------------------------------------

    def import_replies(self, paths: Sequence[Path] | None = None) -> None:
        """Apply the replies in ``paths`` (asked for when not given), off the GUI thread."""
        if paths is None:
            names, _filter = QFileDialog.getOpenFileNames(
                self, self.tr("Import replies"), str(last_folder()),
                self.tr("Replies (*.ics *.eml);;All files (*)"))
            paths = [Path(name) for name in names]
        if not paths or self._importer.is_running():
            return
        self.status.setText(self.tr("Importing %n reply file(s)…", "", len(paths)))
        self._importer.start(partial(import_reply_files, self.context, list(paths)))

    def _on_imported(self, outcome: RsvpOutcome) -> None:
        self.status.setText(fill(self.tr("Replies imported: %1 status(es) changed."),
                                 outcome.changed))
        self._open(RsvpResultDialog(outcome, self))
        self.changed.emit()
        self.reload()

    def _on_import_failed(self, exc: object) -> None:
        self.status.setText(self.tr("No reply was applied."))
        show_failure(self, exc)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.conference_id is not None and reply_paths(event.mimeData()):
            self.status.setText(self.tr("Drop the replies to import them."))
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self.conference_id is not None and reply_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = reply_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.import_replies(paths)
