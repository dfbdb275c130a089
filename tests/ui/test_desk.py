"""Desk mode on the demo data: scan, verdict card, search, undo, walk-in, camera, PIN.

Every test drives the real Desk (services.desk) over a real database, through key events and
the window's public controls; the database says what happened.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import threading
import wave
from datetime import UTC
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QObject, QPoint, Qt, QUrl, Slot
from PySide6.QtGui import QColor, QDesktopServices, QImage, QPainter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QWidget,
)
from sqlalchemy import select

from smartconf.config import Paths
from smartconf.core.enums import CheckInMethod, ParticipantRole, ParticipantStatus
from smartconf.core.resources import resource_path
from smartconf.exports.qr import QUIET_ZONE, dark_rectangles, qr_matrix
from smartconf.models import CheckIn, Conference, Participant, Person, RevokedBadge
from smartconf.services.conferences import list_conferences
from smartconf.services.desk import Desk
from smartconf.store.database import Database, open_database
from smartconf.store.session import read_session, unit_of_work
from smartconf.ui.desk.camera_scanner import frame_to_grey, video_inputs
from smartconf.ui.desk.desk_window import DeskWindow
from smartconf.ui.desk.multimedia import QMediaDevices, QVideoFrame
from smartconf.ui.desk.pin_dialog import LeaveDeskDialog, SetPinDialog
from smartconf.ui.desk.search_dialog import DeskSearchDialog
from smartconf.ui.desk.sounds import VerdictSounds
from smartconf.ui.desk.verdict_view import TONE_COLOURS, Tone
from smartconf.ui.desk.walk_in_dialog import WalkIn, WalkInDialog
from smartconf.ui.pages.checkin import CheckInPage
from tests.pdftools import decoded_codes, require_poppler
from tests.ui.demo_data import Known, fill_database

# Messages of this machine, not of smartconf: no PulseAudio server (the desk is then silent),
# and the offscreen platform's size hints. pytest-qt uses the closest qt_log_ignore mark, so
# each test carries this one (a module mark would lose to the one conftest adds).
desk_noise = pytest.mark.qt_log_ignore(r"PulseAudioService: pa_context_connect\(\) failed",
                                       r"This plugin does not support propagateSizeHints")
DESK = "Desk 2"
ACTOR = "tester"
ZONE = ZoneInfo("Europe/Belgrade")


# --- helpers -----------------------------------------------------------------------------


def participant(database: Database, name: str, conference: str = Known.conference_code):
    """(participant id, badge code, person id) of the person called ``name`` at
    ``conference``."""
    with read_session(database.sessions) as session:
        for p in session.scalars(select(Participant).join(Conference)
                                 .where(Conference.code == conference)):
            if p.person.full_name == name:
                return p.id, p.badge_code, p.person_id
    raise LookupError(name)


def check_ins(database: Database, participant_id: int) -> list[CheckIn]:
    """The participant's check-in rows, voided ones included (detached, loaded)."""
    with read_session(database.sessions) as session:
        rows = list(session.scalars(select(CheckIn).where(
            CheckIn.participant_id == participant_id).order_by(CheckIn.id)))
        session.expunge_all()
        return rows


def tampered(code: str) -> str:
    """``code`` with one character changed (the check character then disagrees)."""
    middle = 7
    return code[:middle] + ("2" if code[middle] != "2" else "3") + code[middle + 1:]


def type_text(widget: QWidget, text: str) -> None:
    """One key event per character (keyClicks aborts on non-ASCII)."""
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch,
                           Qt.KeyboardModifier.NoModifier)


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the focus"
    return widget


def open_desk(qtbot, database: Database, paths: Paths, *, desk: str = DESK,
              conference: str = Known.conference_code, place: int = 0) -> DeskWindow:
    """Desk mode started from the Check-in page, the way a coordinator does it."""
    page = CheckInPage(database, paths, ACTOR)
    qtbot.addWidget(page)
    page.full_screen = False
    page.ensure_loaded()
    page.picker.setCurrentIndex(next(i for i in range(page.picker.count())
                                     if page.picker.conferences.rows()[i].code == conference))
    page.desk_name.setText(desk)
    page.place.setCurrentIndex(place)
    window = page.start_desk()
    qtbot.addWidget(window)
    window.started_from = page
    qtbot.waitUntil(lambda: window.ready, timeout=10_000)
    qtbot.waitUntil(lambda: window.scan_field.hasFocus())
    return window


def scan(qtbot, window: DeskWindow, code: str):
    """Type ``code`` and Enter into whatever has the focus; the VerdictView shown."""
    target = focused()
    assert target is window.scan_field
    with qtbot.waitSignal(window.verdict_shown, timeout=10_000) as shown:
        QTest.keyClicks(target, code)
        QTest.keyClick(target, Qt.Key.Key_Return)
    return shown.args[0]


def close_desk(window: DeskWindow) -> None:
    """Leave without the PIN dialog (test teardown)."""
    if not window._leaving:
        window.leave()


@pytest.fixture
def desk(qtbot, demo_database: Database, paths: Paths):
    window = open_desk(qtbot, demo_database, paths)
    yield window
    close_desk(window)


# --- scanning ----------------------------------------------------------------------------


@desk_noise
def test_typed_code_gives_green_then_amber_then_red(desk, demo_database, qtbot):
    pid, code, _ = participant(demo_database, "Drita Beqiri")
    assert not check_ins(demo_database, pid)

    view = scan(qtbot, desk, code)
    assert view.tone is Tone.ADMITTED
    assert desk.card.tone is Tone.ADMITTED
    assert desk.card.texts()[:2] == ["WELCOME", "Drita Beqiri"]
    assert desk.scan_field.text() == ""  # the code is not left on screen
    [row] = check_ins(demo_database, pid)
    assert (row.desk, row.operator, row.method, row.voided_at) == (DESK, ACTOR,
                                                                   CheckInMethod.SCAN, None)

    view = scan(qtbot, desk, code.lower())  # a scanner with Caps Lock on
    assert view.tone is Tone.ATTENTION
    assert view.headline == "ALREADY CHECKED IN"
    local = row.checked_in_at.astimezone(ZONE)
    assert view.lines[0] == f"at {local:%H:%M}, {DESK}"
    assert len(check_ins(demo_database, pid)) == 1

    view = scan(qtbot, desk, tampered(code))
    assert view.tone is Tone.REJECTED
    assert view.headline == "UNKNOWN BADGE"
    assert len(check_ins(demo_database, pid)) == 1
    assert focused() is desk.scan_field


@desk_noise
def test_counts_follow_the_scans(desk, demo_database, qtbot):
    qtbot.waitUntil(lambda: desk.counts.text() != "")
    before = int(re.search(r"Checked in (\d+) of", desk.counts.text()).group(1))
    _, code, _ = participant(demo_database, "Lindita Kelmendi")
    scan(qtbot, desk, code)
    qtbot.waitUntil(lambda: desk.counts.text().startswith(f"Checked in {before + 1} of"))


@desk_noise
def test_red_cards_say_why(desk, demo_database, qtbot):
    with unit_of_work(demo_database.sessions, ACTOR) as session:
        reissued = session.scalar(select(RevokedBadge).where(
            RevokedBadge.reason.startswith("badge reissued")))
        other = session.scalar(select(Participant).join(Conference).where(
            Conference.code == "SB-CSA", Participant.status == ParticipantStatus.ACCEPTED))
        cancelled = session.scalar(select(Participant).join(Conference).join(Person).where(
            Conference.code == Known.conference_code, Person.family_name == "Kabashi"))
        cancelled.status = ParticipantStatus.CANCELLED  # cancelled, code not yet revoked
        codes = {"revoked": reissued.code, "other": other.badge_code,
                 "cancelled": cancelled.badge_code}

    view = scan(qtbot, desk, codes["revoked"])
    assert (view.tone, view.headline) == (Tone.REJECTED,
                                          "REVOKED: badge reissued: title misprinted")
    assert scan(qtbot, desk, codes["other"]).headline == "ANOTHER CONFERENCE"
    assert scan(qtbot, desk, codes["cancelled"]).headline == "CANCELLED"


@desk_noise
def test_vip_is_admitted_in_amber(desk, demo_database, qtbot):
    _, code, _ = participant(demo_database, "Rachel Goldberg")
    view = scan(qtbot, desk, code)
    assert (view.tone, view.headline, view.name) == (Tone.ATTENTION, "WELCOME · VIP",
                                                     "Rachel Goldberg")


# --- search, undo, walk-in ------------------------------------------------------------------


@desk_noise
def test_search_with_diacritics_admits_by_name(desk, demo_database, qtbot):
    pid, _, _ = participant(demo_database, "Blerina Çollaku")
    QTest.keyClick(focused(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    dialog = desk.findChild(DeskSearchDialog)
    assert dialog is not None and dialog.isVisible()
    type_text(dialog.field, "Çollaku")
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0)
    found = dialog.model.rows()[0]
    assert (found.name, found.checked_in_at) == ("Blerina Çollaku", None)
    with qtbot.waitSignal(desk.verdict_shown, timeout=10_000) as shown:
        QTest.keyClick(dialog.field, Qt.Key.Key_Return)
    assert shown.args[0].tone is Tone.ADMITTED
    [row] = check_ins(demo_database, pid)
    assert row.method is CheckInMethod.SEARCH
    qtbot.waitUntil(lambda: focused() is desk.scan_field)


@desk_noise
def test_undo_voids_the_last_check_in(desk, demo_database, qtbot):
    pid, code, _ = participant(demo_database, "Dafina Lluka")
    scan(qtbot, desk, code)
    QTest.keyClick(focused(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    dialog = desk.dialog
    assert dialog is not None and dialog.objectName() == "undo_dialog"
    reason_field = dialog.findChild(QLineEdit)
    QTest.keyClicks(reason_field, "scanned the wrong badge")
    with qtbot.waitSignal(desk.verdict_shown, timeout=10_000) as shown:
        QTest.keyClick(reason_field, Qt.Key.Key_Return)
    assert shown.args[0].headline == "CHECK-IN UNDONE"
    [row] = check_ins(demo_database, pid)  # still there, voided
    assert row.voided_at is not None
    assert (row.void_reason, row.voided_by) == ("scanned the wrong badge", ACTOR)
    assert scan(qtbot, desk, code).tone is Tone.ADMITTED  # admitted again after the undo
    assert len(check_ins(demo_database, pid)) == 2


class _Opened(QObject):
    """Receives the URLs the desk asks the system to open (QDesktopServices handler)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open_url(self, url: QUrl) -> None:
        self.urls.append(url)


@desk_noise
def test_walk_in_is_admitted_with_a_badge_that_scans(desk, demo_database, qtbot):
    require_poppler()
    opened = _Opened()
    QDesktopServices.setUrlHandler("file", opened, "open_url")
    try:
        QTest.keyClick(focused(), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        dialog = desk.findChild(WalkInDialog)
        type_text(dialog.given, "Dritë")
        type_text(dialog.family, "Krasniqi-Đurić")
        type_text(dialog.organisation, "Radio Kosova")
        with qtbot.waitSignal(desk.verdict_shown, timeout=20_000) as shown:
            QTest.keyClick(dialog.organisation, Qt.Key.Key_Return)
        assert (shown.args[0].tone, shown.args[0].name) == (Tone.ADMITTED,
                                                            "Dritë Krasniqi-Đurić")
        qtbot.waitUntil(lambda: desk.last_badge_pdf is not None)
    finally:
        QDesktopServices.unsetUrlHandler("file")
    [code] = decoded_codes(desk.last_badge_pdf)
    assert desk.last_badge_path.read_bytes() == desk.last_badge_pdf
    assert [url.toLocalFile() for url in opened.urls] == [str(desk.last_badge_path)]
    view = scan(qtbot, desk, code)  # the printed QR is the walk-in's admitted badge
    assert (view.headline, view.name) == ("ALREADY CHECKED IN", "Dritë Krasniqi-Đurić")
    with read_session(demo_database.sessions) as session:
        walk_in = session.scalar(select(Participant).where(Participant.badge_code == code))
        status, pid = walk_in.status, walk_in.id
    assert status is ParticipantStatus.ATTENDED
    [row] = check_ins(demo_database, pid)
    assert (row.method, row.desk) == (CheckInMethod.WALK_IN, DESK)


# --- leaving -------------------------------------------------------------------------------


@desk_noise
def test_leaving_needs_the_coordinators_pin(qtbot, demo_database, paths):
    page = CheckInPage(demo_database, paths, ACTOR)
    qtbot.addWidget(page)
    page.set_pin()
    pin_dialog = page.findChild(SetPinDialog)
    type_text(pin_dialog.pin, "2468")
    type_text(pin_dialog.repeat, "2486")
    QTest.keyClick(pin_dialog.repeat, Qt.Key.Key_Return)
    assert pin_dialog.message.text() == "The two PINs differ." and pin_dialog.isVisible()
    pin_dialog.repeat.clear()
    type_text(pin_dialog.repeat, "2468")
    QTest.keyClick(pin_dialog.repeat, Qt.Key.Key_Return)
    assert pin_dialog.result() == SetPinDialog.DialogCode.Accepted

    window = open_desk(qtbot, demo_database, paths)
    window.close()  # a close request (Alt+F4) asks for the PIN too
    qtbot.waitUntil(lambda: isinstance(window.dialog, LeaveDeskDialog))
    leave = window.dialog
    assert leave.pin.isVisible()
    QTest.keyClicks(leave.pin, "1357")
    QTest.keyClick(leave.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: leave.message.isVisible())
    assert leave.message.text() == "Wrong PIN." and window.isVisible()
    with qtbot.waitSignal(window.left, timeout=10_000):
        QTest.keyClicks(leave.pin, "2468")
        QTest.keyClick(leave.pin, Qt.Key.Key_Return)
    assert not window.isVisible()
    assert page.start_button.isEnabled()


@desk_noise
def test_without_a_pin_leaving_warns(desk, qtbot):
    QTest.keyClick(focused(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: isinstance(desk.dialog, LeaveDeskDialog))
    leave = desk.dialog
    warning = leave.findChild(QLabel, "no_pin_warning")
    assert warning.isVisible() and "No coordinator PIN is set" in warning.text()
    with qtbot.waitSignal(desk.left, timeout=10_000):
        next(b for b in leave.findChildren(QAbstractButton)
             if b.text() == "Leave anyway").click()
    assert not desk.isVisible()


@desk_noise
def test_a_desk_that_cannot_start_says_why_and_lets_go(qtbot, demo_database, paths):
    url = demo_database.engine.url.render_as_string(hide_password=False)
    with read_session(demo_database.sessions) as session:
        row = next(r for r in list_conferences(session) if r.code == Known.conference_code)
    window = DeskWindow(lambda: Desk(url, "NO-SUCH-CONF", DESK, ACTOR,
                                     journal_dir=paths.journal_dir),
                        row, desk=DESK, badge_folder=paths.journal_dir)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.card.view.headline == "THE DESK CANNOT START")
    assert window.card.tone is Tone.REJECTED and not window.ready
    assert not window.search_button.isEnabled()
    with qtbot.waitSignal(window.left):
        QTest.keyClick(window.scan_field, Qt.Key.Key_Escape)  # nothing to protect: no PIN


@desk_noise
def test_the_desk_name_is_remembered(qtbot, demo_database, paths):
    window = open_desk(qtbot, demo_database, paths, desk="North entrance")
    close_desk(window)
    page = CheckInPage(demo_database, paths, ACTOR)
    qtbot.addWidget(page)
    assert page.desk_name.text() == "North entrance"


# --- camera --------------------------------------------------------------------------------


def qr_image(code: str, *, module: int = 8, size: tuple[int, int] = (1280, 720)) -> QImage:
    """A camera-like frame: the badge's QR (with its quiet zone) on a grey background."""
    image = QImage(*size, QImage.Format.Format_RGB32)
    image.fill(QColor("#8a8a8a"))
    matrix = qr_matrix(code)
    side = (len(matrix) + 2 * QUIET_ZONE) * module
    origin = QPoint((size[0] - side) // 2, (size[1] - side) // 2)
    painter = QPainter(image)
    painter.fillRect(origin.x(), origin.y(), side, side, QColor("white"))
    for col, row, width, height in dark_rectangles(matrix):
        painter.fillRect(origin.x() + (col + QUIET_ZONE) * module,
                         origin.y() + (row + QUIET_ZONE) * module,
                         width * module, height * module, QColor("black"))
    painter.end()
    return image


def test_a_frame_becomes_a_grey_image_of_the_same_size(qapp):
    frame = QVideoFrame(qr_image("1ABCDEFGHJKLM0X", size=(640, 480)))
    grey = frame_to_grey(frame)
    assert (grey.width(), grey.height(), grey.format()) == (640, 480,
                                                          QImage.Format.Format_Grayscale8)
    assert QColor(grey.pixel(1, 1)).red() == 0x8a


@desk_noise
def test_camera_frames_admit_once_while_the_badge_is_held(desk, demo_database, qtbot):
    pid, code, _ = participant(demo_database, "Krenar Krasniqi")
    shown = []
    desk.verdict_shown.connect(shown.append)
    image = qr_image(code)
    for _ in range(40):  # ~2 s of a badge held up at 20 frames a second
        desk.scanner.sink.setVideoFrame(QVideoFrame(image))
        qtbot.wait(50)
    qtbot.waitUntil(lambda: len(shown) >= 1, timeout=15_000)
    assert desk.scanner.frames_decoded >= 2  # decoded more than once, reported once
    assert [view.tone for view in shown] == [Tone.ADMITTED]
    [row] = check_ins(demo_database, pid)
    assert row.method is CheckInMethod.CAMERA

    desk.scanner.cooldown = 1.0  # the badge is taken away, then shown again
    empty = QImage(1280, 720, QImage.Format.Format_RGB32)
    empty.fill(QColor("#8a8a8a"))
    for frame in [empty] * 40 + [image] * 16:  # away for 2 s, longer than the cooldown
        desk.scanner.sink.setVideoFrame(QVideoFrame(frame))
        qtbot.wait(50)
    qtbot.waitUntil(lambda: len(shown) >= 2, timeout=15_000)
    assert shown[1].headline == "ALREADY CHECKED IN"


@desk_noise
def test_camera_button_only_with_a_camera(desk):
    assert desk.camera_button.isHidden() is (not video_inputs())


# --- privacy and focus ---------------------------------------------------------------------


def texts_of(root: QWidget) -> list[str]:
    """Every text ``root`` and its children show: labels, fields, buttons, titles, tooltips,
    and the cells of item views."""
    texts = [root.windowTitle(), root.toolTip()]
    for widget in [root, *root.findChildren(QWidget)]:
        texts += [widget.toolTip(), widget.accessibleName()]
        if isinstance(widget, QLabel | QLineEdit | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            texts += [str(model.index(r, c).data() or "") for r in range(model.rowCount())
                      for c in range(model.columnCount())]
    return texts


@desk_noise
def test_no_email_or_phone_anywhere_on_the_desk(desk, demo_database, qtbot):
    name = "Hysen Ramadani"  # two e-mail addresses and a phone number in the CRM
    _, code, person_id = participant(demo_database, name)
    with read_session(demo_database.sessions) as session:
        person = session.get(Person, person_id)
        emails = [e.address.lower() for e in person.emails]
        phones = [re.sub(r"\D", "", p.number)[-8:] for p in person.phones]
    assert emails and phones
    scan(qtbot, desk, code)
    QTest.keyClick(focused(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    dialog = desk.findChild(DeskSearchDialog)
    type_text(dialog.field, "Ramadani")
    qtbot.waitUntil(lambda: any(r.name == name for r in dialog.model.rows()))
    shown = texts_of(desk)
    assert any(name in text for text in shown)  # the walk reaches the card and the results
    for text in shown:
        assert not any(email in text.lower() for email in emails), text
        assert not any(phone in re.sub(r"\D", "", text) for phone in phones), text
    dialog.reject()


@desk_noise
def test_focus_comes_back_to_the_scan_field(desk, qtbot):
    for button in (desk.search_button, desk.walk_in_button, desk.leave_button):
        assert button.focusPolicy() == Qt.FocusPolicy.NoFocus
    desk.search_button.click()
    dialog = desk.findChild(DeskSearchDialog)
    qtbot.waitUntil(lambda: focused() is dialog.field)
    QTest.keyClick(dialog.field, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: focused() is desk.scan_field)


# --- room attendance -----------------------------------------------------------------------


@desk_noise
def test_a_desk_at_a_session_door_records_room_attendance(qtbot, demo_database, paths):
    window = open_desk(qtbot, demo_database, paths, desk="Sapphire door", place=1)
    try:
        page = window.started_from
        session_id = page.place.itemData(1)
        assert session_id is not None and page.place.itemText(1) in window.title.text()
        pid, code, _ = participant(demo_database, "Lindita Kelmendi")
        assert scan(qtbot, window, code).tone is Tone.ADMITTED
        [row] = check_ins(demo_database, pid)
        assert row.agenda_session_id == session_id
    finally:
        close_desk(window)


# --- offline -------------------------------------------------------------------------------


class _Plug:
    """A TCP relay to the PostgreSQL server that the test can pull out and put back."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connected = threading.Event()
        self.connected.set()
        self.sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.connected.is_set():
                client.close()
                continue
            server = socket.create_connection(self.target)
            with self._lock:
                self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, target):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def pull(self) -> None:
        """The network is gone: open connections break, new ones are refused."""
        self.connected.clear()
        with self._lock:
            for s in self.sockets:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()
            self.sockets.clear()

    def plug(self) -> None:
        self.connected.set()

    def close(self) -> None:
        self.pull()
        self.listener.close()


@pytest.mark.pg
@desk_noise
def test_offline_banner_while_the_server_is_away(qtbot, pg_url, paths, tmp_path):
    from sqlalchemy.engine import make_url

    database = open_database(pg_url)
    fill_database(database)
    url = make_url(pg_url)
    plug = _Plug(url.host or "127.0.0.1", url.port or 5432)
    relayed = url.set(host="127.0.0.1", port=plug.port).render_as_string(hide_password=False)
    desk_database = open_database(relayed)
    try:
        window = open_desk(qtbot, desk_database, paths)
        assert not window.banner.isVisible()
        first, code, _ = participant(database, "Drita Beqiri")
        second, code2, _ = participant(database, "Gresa Latifi")
        plug.pull()
        view = scan(qtbot, window, code)
        assert view.tone is Tone.ADMITTED and view.footer  # "Offline: ..."
        assert window.banner.isVisible()
        assert "Server unreachable since" in window.banner.text()
        assert "1 scan waiting to be sent" in window.banner.text()
        assert scan(qtbot, window, code).headline == "ALREADY CHECKED IN"  # from the journal
        with qtbot.waitSignal(window.verdict_shown, timeout=10_000) as refused:
            window.walk_in(WalkIn("Arta", "Gashi", "", ParticipantRole.PARTICIPANT))
        assert refused.args[0].headline == "NOT REGISTERED"  # a walk-in needs the server
        assert not check_ins(database, first)
        plug.plug()
        qtbot.wait(5_200)  # the desk retries the server 5 s after a failure
        assert scan(qtbot, window, code2).tone is Tone.ADMITTED
        qtbot.waitUntil(lambda: not window.banner.isVisible())
        assert len(check_ins(database, first)) == 1 and len(check_ins(database, second)) == 1
        close_desk(window)
    finally:
        desk_database.dispose()
        database.dispose()
        plug.close()


# --- screenshots ---------------------------------------------------------------------------


@desk_noise
def test_verdict_cards_have_their_colours(desk, demo_database, qtbot, tmp_path):
    """The three cards, in colour (saved to $SMARTCONF_SCREENSHOTS for docs/screenshots)."""
    out = Path(os.environ.get("SMARTCONF_SCREENSHOTS", tmp_path))
    desk.resize(1280, 800)
    _, code, _ = participant(demo_database, "Małgorzata Kowalczyk")
    cards = {"desk-admitted": code, "desk-attention": code, "desk-rejected": tampered(code)}
    for name, badge in cards.items():
        view = scan(qtbot, desk, badge)
        QApplication.processEvents()
        image = desk.grab().toImage()
        card = desk.card.geometry()
        assert QColor(image.pixel(card.left() + 8, card.top() + 8)).name() == \
            TONE_COLOURS[view.tone]
        image.save(str(out / f"{name}.png"))
    assert {p.name for p in out.glob("desk-*.png")} >= {f"{n}.png" for n in cards}


def test_times_are_shown_in_the_conference_time_zone():
    from datetime import datetime

    from smartconf.ui.desk.verdict_view import local_time

    assert local_time(datetime(2027, 3, 16, 8, 14, tzinfo=UTC), "Europe/Belgrade") == "09:14"


def contrast_with_white(colour: str) -> float:
    """WCAG 2 contrast ratio of white text on ``colour``."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    q = QColor(colour)
    luminance = (0.2126 * linear(q.red()) + 0.7152 * linear(q.green())
                 + 0.0722 * linear(q.blue()))
    return 1.05 / (luminance + 0.05)


def test_white_text_is_readable_on_every_card():
    assert {tone: contrast_with_white(c) >= 4.5 for tone, c in TONE_COLOURS.items()} == \
        dict.fromkeys(Tone, True)


@pytest.mark.parametrize("name", ["admitted", "attention", "rejected"])
def test_verdict_sounds_are_short_mono_wav(name):
    with wave.open(str(resource_path("sounds", f"{name}.wav"))) as sound:
        assert (sound.getnchannels(), sound.getsampwidth(), sound.getframerate()) == \
            (1, 2, 22_050)
        assert 0.2 <= sound.getnframes() / sound.getframerate() <= 0.5


@desk_noise
def test_sounds_play_or_stay_silent_without_failing(qapp):
    sounds = VerdictSounds()
    assert sounds.audible is bool(QMediaDevices.audioOutputs())
    for tone in Tone:
        sounds.play(tone)  # no audio device here: nothing plays, nothing breaks
