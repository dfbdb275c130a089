"""Desk mode: the full-screen check-in window the queue looks at.

The scan field always has the focus (a USB scanner types the code and Enter into it); every
other control refuses the focus, and each dialog hands it back when it closes. The Desk
(services.desk) lives on its own thread (desk_agent); its verdicts come back here and are
painted on the card with their sound. Nothing on this screen shows an e-mail or a phone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QColor, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from smartconf.core.dto import ConferenceRow
from smartconf.core.enums import CheckInMethod
from smartconf.services.desk import Desk, DeskCounts, DeskPerson, DeskVerdict
from smartconf.ui.desk.badge_output import deliver_badge
from smartconf.ui.desk.camera_scanner import CameraScanner, video_inputs
from smartconf.ui.desk.desk_agent import DeskAgent
from smartconf.ui.desk.multimedia import QVideoWidget
from smartconf.ui.desk.pin_dialog import LeaveDeskDialog
from smartconf.ui.desk.scan_field import ScanField
from smartconf.ui.desk.search_dialog import DeskSearchDialog
from smartconf.ui.desk.sounds import VerdictSounds
from smartconf.ui.desk.verdict_card import VerdictCard
from smartconf.ui.desk.verdict_view import (
    Tone,
    VerdictView,
    idle_view,
    local_time,
    verdict_view,
)
from smartconf.ui.desk.walk_in_dialog import WalkInDialog
from smartconf.ui.errors import error_texts
from smartconf.ui.formatting import fill

COUNTS_INTERVAL_MS = 5_000  # live counts (and, offline, a try of the server)
SNAPSHOT_INTERVAL_MS = 60_000  # the local list for offline verdicts
CONTROL_SCALE = 1.3  # buttons and titles, larger than the office screens' text
COUNTS_SCALE = 1.8


@dataclass(frozen=True, slots=True)
class DeskState:
    """What the banner needs, read on the desk thread after each call."""

    online: bool
    last_error: str | None
    waiting: int  # offline admissions not sent to the server yet


def read_state(desk: Desk) -> DeskState:
    """The Desk's connection state."""
    return DeskState(desk.online, desk.last_error, desk.pending)


class DeskWindow(QWidget):
    """The desk screen for one conference (or one agenda session's door) and one desk name.

    ``open_desk()`` builds the Desk; it runs on the desk thread. ``left`` is emitted once the
    coordinator's PIN let the desk close.
    """

    left = Signal()
    verdict_shown = Signal(object)  # the VerdictView just put on the card

    def __init__(self, open_desk: Callable[[], Desk], conference: ConferenceRow, *, desk: str,
                 place: str = "", badge_folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("desk_window")
        self.setWindowTitle(fill(self.tr("smartconf desk: %1"), desk))
        self.conference = conference
        self.desk_name = desk
        self.place = place
        self.badge_folder = badge_folder
        self.ready = False
        self.state = DeskState(True, None, 0)
        self.offline_since: datetime | None = None
        self.last_badge_pdf: bytes | None = None
        self.last_badge_path: Path | None = None
        self.dialog: QWidget | None = None
        self._leaving = False
        self._counts_asked = False
        self._undo_name = ""
        self.sounds = VerdictSounds(self)
        self._build()
        self._shortcuts()
        self.scanner = CameraScanner(self)
        self.scanner.code_read.connect(lambda code: self.submit(code, CheckInMethod.CAMERA))
        self.scanner.failed.connect(self._camera_failed)
        self.camera_button.setVisible(bool(video_inputs()))
        self.card.show_view(VerdictView(Tone.IDLE, self.tr("OPENING THE DESK…"), "",
                                        (conference.title,)))
        self.agent = DeskAgent(open_desk, self._on_open, self._on_open_failed, self)
        self._counts_timer = QTimer(self)
        self._counts_timer.setInterval(COUNTS_INTERVAL_MS)
        self._counts_timer.timeout.connect(self.refresh_counts)
        self._snapshot_timer = QTimer(self)
        self._snapshot_timer.setInterval(SNAPSHOT_INTERVAL_MS)
        self._snapshot_timer.timeout.connect(self.refresh_snapshot)

    # --- building -----------------------------------------------------------------------

    def _build(self) -> None:
        self.title = QLabel(self._title_text())
        self.title.setObjectName("desk_title")
        self.counts = QLabel()
        self.counts.setObjectName("desk_counts")
        self.counts.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.title.setWordWrap(True)
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        _scale_font(self.title, CONTROL_SCALE, bold=True)
        _scale_font(self.counts, COUNTS_SCALE, bold=True)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.counts)
        self.banner = QLabel()
        self.banner.setObjectName("offline_banner")
        self.banner.setWordWrap(True)
        self.banner.setMargin(10)
        self.banner.setAutoFillBackground(True)
        _colour(self.banner, "#5c1a14")
        _scale_font(self.banner, CONTROL_SCALE, bold=True)
        self.banner.setVisible(False)
        self.card = VerdictCard()
        self.preview = QVideoWidget()
        self.preview.setObjectName("camera_preview")
        self.preview.setFixedSize(QSize(320, 180))
        self.preview.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.preview.setVisible(False)
        middle = QHBoxLayout()
        middle.addWidget(self.card, 1)
        middle.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignTop)
        self.scan_field = ScanField()
        self.scan_field.setFixedWidth(260)
        self.scan_field.submitted.connect(self.submit)
        self.search_button = self._button("search_button", self.tr("Find by name (Ctrl+F)"),
                                          self.open_search)
        self.walk_in_button = self._button("walk_in_button", self.tr("Walk-in (Ctrl+N)"),
                                           self.open_walk_in)
        self.undo_button = self._button("undo_button", self.tr("Undo last (Ctrl+Z)"),
                                        self.ask_undo)
        self.camera_button = self._button("camera_button", self.tr("Camera"),
                                          self.toggle_camera)
        self.camera_button.setCheckable(True)
        self.leave_button = self._button("leave_button", self.tr("Leave desk mode (Esc)"),
                                         self.request_leave)
        self.status = QLabel()
        self.status.setObjectName("desk_status")
        self.status.setWordWrap(True)
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        bottom = QHBoxLayout()
        bottom.addWidget(self.scan_field)
        bottom.addWidget(self.status, 1)
        for button in (self.search_button, self.walk_in_button, self.undo_button,
                       self.camera_button, self.leave_button):
            bottom.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addLayout(middle, 1)
        layout.addLayout(bottom)
        self.setFocusProxy(self.scan_field)

    def _button(self, name: str, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps the focus
        button.setMinimumHeight(48)
        _scale_font(button, CONTROL_SCALE)
        button.clicked.connect(lambda _checked=False: slot())
        button.setEnabled(name == "leave_button")
        return button

    def _shortcuts(self) -> None:
        for keys, slot in ((QKeySequence(Qt.Key.Key_Escape), self.request_leave),
                           (QKeySequence(QKeySequence.StandardKey.Undo), self.ask_undo),
                           (QKeySequence(QKeySequence.StandardKey.Find), self.open_search),
                           (QKeySequence(QKeySequence.StandardKey.New), self.open_walk_in)):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)

    def _title_text(self) -> str:
        where = f" · {self.place}" if self.place else ""
        return f"{self.conference.title}{where} · {fill(self.tr('Desk: %1'), self.desk_name)}"

    def sizeHint(self) -> QSize:
        return QSize(1280, 800)

    # --- the desk opening -----------------------------------------------------------------

    def _on_open(self, _desk: object) -> None:
        self.ready = True
        for button in (self.search_button, self.walk_in_button, self.undo_button,
                       self.camera_button):
            button.setEnabled(True)
        self.card.show_view(idle_view(self.conference.title, self.desk_name))
        self.refresh_counts()
        self._counts_timer.start()
        self._snapshot_timer.start()
        self.reclaim_focus()

    def _on_open_failed(self, exc: BaseException) -> None:
        message, hint = error_texts(exc)
        self.card.show_view(VerdictView(Tone.REJECTED, self.tr("THE DESK CANNOT START"),
                                        "", (message, hint)))
        self.status.setText(self.tr("Nothing was admitted. Leave desk mode (Esc) and try "
                                    "again."))

    # --- scanning -------------------------------------------------------------------------

    def submit(self, code: str, method: CheckInMethod = CheckInMethod.SCAN) -> None:
        """Check the badge ``code`` in; the verdict is painted when the desk answers."""
        if not self.ready:
            return
        self.agent.call(lambda desk: (desk.scan(code, method=method), read_state(desk)),
                        self._show_verdict, self._desk_failed)

    def admit_participant(self, participant_id: int) -> None:
        """Admit a participant found by name (method: search)."""
        self.agent.call(lambda desk: (desk.admit_participant(
            participant_id, method=CheckInMethod.SEARCH), read_state(desk)),
            self._show_verdict, self._desk_failed)

    def _show_verdict(self, answer: tuple[DeskVerdict, DeskState]) -> None:
        verdict, state = answer
        view = verdict_view(verdict, self.conference.timezone)
        self.show_view(view)
        self.sounds.play(view.tone)
        if view.tone in (Tone.ADMITTED, Tone.ATTENTION) and verdict.name:
            self._undo_name = verdict.name
        self._set_state(state)
        self.refresh_counts()

    def show_view(self, view: VerdictView) -> None:
        """Put ``view`` on the card (it stays until the next one)."""
        self.card.show_view(view)
        self.status.setText("")
        self.verdict_shown.emit(view)

    def _desk_failed(self, exc: BaseException, headline: str = "") -> None:
        """A call the desk could not do: said on the card, in red, with what to do."""
        message, hint = error_texts(exc)
        self.show_view(VerdictView(Tone.REJECTED, headline or self.tr("NOT CHECKED IN"), "",
                                   (message, hint)))
        self.sounds.play(Tone.REJECTED)
        self.reclaim_focus()

    # --- counts and the offline banner ----------------------------------------------------

    def refresh_counts(self) -> None:
        """Ask the desk for checked in / expected (one question at a time)."""
        if not self.ready or self._counts_asked:
            return
        self._counts_asked = True
        self.agent.call(lambda desk: (desk.counts(), read_state(desk)), self._show_counts,
                        self._counts_failed)

    def _show_counts(self, answer: tuple[DeskCounts, DeskState]) -> None:
        counts, state = answer
        self._counts_asked = False
        self.counts.setText(fill(self.tr("Checked in %1 of %2 expected"), counts.checked_in,
                                 counts.expected))
        self._set_state(state)

    def _counts_failed(self, _exc: BaseException) -> None:
        self._counts_asked = False

    def _set_state(self, state: DeskState) -> None:
        self.state = state
        if state.online:
            self.offline_since = None
            self.banner.setVisible(False)
            return
        if self.offline_since is None:
            self.offline_since = datetime.now(UTC)
        since = fill(self.tr("Server unreachable since %1"),
                     local_time(self.offline_since, self.conference.timezone))
        waiting = (self.tr("1 scan waiting to be sent") if state.waiting == 1 else
                   self.tr("%n scans waiting to be sent", "", state.waiting))
        self.banner.setText(fill(self.tr("%1 — admitting from the local list; %2"), since,
                                 waiting))
        self.banner.setToolTip(state.last_error or "")
        self.banner.setVisible(True)

    def refresh_snapshot(self) -> None:
        """Bring the desk's local list up to date (and send waiting scans when back online)."""
        if self.ready:
            self.agent.call(lambda desk: (desk.refresh_snapshot(), read_state(desk)),
                            lambda answer: self._set_state(answer[1]), lambda _exc: None)

    # --- undo -----------------------------------------------------------------------------

    def ask_undo(self) -> None:
        """Ask why, then void this desk's last admission (it is never deleted)."""
        if not self.ready or self.dialog is not None:
            return
        dialog = QInputDialog(self)
        dialog.setObjectName("undo_dialog")
        dialog.setWindowTitle(self.tr("Undo the last check-in"))
        who = fill(self.tr("Undo the check-in of %1?"), self._undo_name) if self._undo_name \
            else self.tr("Undo this desk's last check-in?")
        dialog.setLabelText(fill(self.tr("%1\nReason (required):"), who))
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        dialog.setOkButtonText(self.tr("Undo check-in"))
        dialog.textValueSelected.connect(self._undo)
        self._open_dialog(dialog)

    def _undo(self, reason: str) -> None:
        reason = reason.strip()
        if not reason:
            self.status.setText(self.tr("Not undone: a reason is required."))
            return
        self.agent.call(lambda desk: (desk.undo_last(reason), read_state(desk)),
                        self._undone, lambda exc: self._desk_failed(exc, self.tr("NOT UNDONE")))

    def _undone(self, answer: tuple[bool, DeskState]) -> None:
        voided, state = answer
        if voided:
            self.show_view(VerdictView(Tone.IDLE, self.tr("CHECK-IN UNDONE"), self._undo_name,
                                       (self.tr("The admission was voided, with the reason "
                                                "given."),)))
            self._undo_name = ""
        elif not state.online:
            self.status.setText(self.tr("Not undone: the server is unreachable. Try again "
                                        "when it is back."))
        else:
            self.status.setText(self.tr("Nothing to undo at this desk."))
        self._set_state(state)
        self.refresh_counts()

    # --- search and walk-in -----------------------------------------------------------------

    def open_search(self) -> None:
        """Find a participant who forgot the badge; Enter admits (method: search)."""
        if not self.ready or self.dialog is not None:
            return
        dialog = DeskSearchDialog(self._search, self.conference.timezone, self)
        dialog.admit.connect(self.admit_participant)
        self._open_dialog(dialog)

    def _search(self, text: str, deliver: Callable[[list[DeskPerson]], None]) -> None:
        self.agent.call(lambda desk: desk.search(text), deliver, self._desk_failed)

    def open_walk_in(self) -> None:
        """Register someone not on the list: admitted, and the badge printed at once."""
        if not self.ready or self.dialog is not None:
            return
        dialog = WalkInDialog(self)
        dialog.accepted.connect(lambda: self.walk_in(dialog.walk_in()))
        self._open_dialog(dialog)

    def walk_in(self, entered) -> None:
        """Create, admit and print the badge of the walk-in ``entered``."""
        self.agent.call(lambda desk: (desk.walk_in(entered.given_name, entered.family_name,
                                                   entered.organisation, entered.role),
                                      read_state(desk)),
                        self._walked_in,
                        lambda exc: self._desk_failed(exc, self.tr("NOT REGISTERED")))

    def _walked_in(self, answer: tuple[tuple[DeskVerdict, bytes], DeskState]) -> None:
        (verdict, pdf), state = answer
        self._show_verdict((verdict, state))
        self.last_badge_pdf = pdf
        self.last_badge_path = deliver_badge(pdf, self.badge_folder, verdict.participant_id,
                                             self)
        self.reclaim_focus()

    # --- camera ---------------------------------------------------------------------------

    def toggle_camera(self) -> None:
        if self.scanner.camera is None:
            self.scanner.start(preview=self.preview)
            self.preview.setVisible(True)
            self.camera_button.setChecked(True)
        else:
            self.scanner.stop()
            self.preview.setVisible(False)
            self.camera_button.setChecked(False)
        self.reclaim_focus()

    def _camera_failed(self, message: str) -> None:
        self.status.setText(fill(self.tr("Camera: %1"), message))

    # --- focus and dialogs ------------------------------------------------------------------

    def _open_dialog(self, dialog: QWidget) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        dialog.open()
        dialog.activateWindow()

    def _dialog_closed(self, dialog: QWidget) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        self.reclaim_focus()

    def reclaim_focus(self) -> None:
        """Give the focus back to the scan field (after every action)."""
        if self.dialog is None:
            self.activateWindow()
            self.scan_field.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- leaving --------------------------------------------------------------------------

    def request_leave(self) -> None:
        """Ask for the coordinator's PIN (if one is set) before closing the desk."""
        if self._leaving or self.dialog is not None:
            return
        if not self.ready:
            self.leave()
            return
        self.agent.call(lambda desk: desk.pin_is_set, self._ask_pin, self._desk_failed)

    def _ask_pin(self, pin_is_set: bool) -> None:
        if self.dialog is not None:
            return
        dialog = LeaveDeskDialog(self, pin_is_set=pin_is_set)
        dialog.pin_entered.connect(lambda pin: self._check_pin(dialog, pin))
        dialog.leave_anyway.connect(lambda: (dialog.accept(), self.leave()))
        self._open_dialog(dialog)

    def _check_pin(self, dialog: LeaveDeskDialog, pin: str) -> None:
        def checked(ok: bool) -> None:
            if ok:
                dialog.accept()
                self.leave()
            else:
                dialog.reject_pin()

        self.agent.call(lambda desk: desk.check_pin(pin), checked, self._desk_failed)

    def leave(self) -> None:
        """Close the desk (its thread finishes what was queued) and the window."""
        if self._leaving:
            return
        self._leaving = True
        self.ready = False  # a late camera decode or timer finds the desk closed
        self._counts_timer.stop()
        self._snapshot_timer.stop()
        self.scanner.stop()
        self.agent.close()
        self.close()
        self.left.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._leaving:  # Alt+F4 and the like: the PIN still decides
            event.ignore()
            self.request_leave()
            return
        super().closeEvent(event)


def _scale_font(widget: QWidget, scale: float, *, bold: bool = False) -> None:
    font = widget.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    widget.setFont(font)


def _colour(widget: QWidget, background: str) -> None:
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor(background))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#ffffff"))
    widget.setPalette(palette)
