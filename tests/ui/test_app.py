"""The Qt bootstrap: startup errors, unexpected errors, first paint, and the PySide6 build."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from smartconf.app import run_gui, show_fatal_error
from smartconf.config import Paths
from smartconf.core.errors import DatabaseLocked
from smartconf.ui.errors import error_box, install_excepthook

ROOT = Path(__file__).resolve().parents[2]


def close_next_message_box(seen: list[QMessageBox]) -> None:
    """Accept the next modal message box once it is shown, remembering what it said."""
    def poll() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible():
            seen.append((box.icon(), box.text(), box.informativeText(), box.detailedText()))
            box.accept()
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def test_a_file_that_is_not_a_database_gives_a_dialog_and_exit_code_1(qapp, tmp_path):
    not_a_database = tmp_path / "notes.db"
    not_a_database.write_bytes(b"these are my meeting notes, not a database" * 10)
    seen: list = []
    close_next_message_box(seen)
    hook_before = sys.excepthook
    assert run_gui(f"sqlite:///{not_a_database}", Paths(tmp_path)) == 1
    ((icon, text, hint, details),) = seen
    assert icon == QMessageBox.Icon.Critical
    assert str(not_a_database) in text and "not a smartconf database" in text
    assert "--db" in hint  # what to do
    assert details == ""  # no traceback for an error we understand
    assert sys.excepthook is hook_before
    assert not_a_database.read_bytes().startswith(b"these are my meeting notes")


def test_show_fatal_error_says_what_happened_and_what_to_do(qapp):
    seen: list = []
    close_next_message_box(seen)
    show_fatal_error(DatabaseLocked("The database is locked.", hint="Close the other window."))
    assert [(s[1], s[2]) for s in seen] == [("The database is locked.",
                                             "Close the other window.")]


def test_unexpected_exceptions_go_to_an_error_dialog(qapp, capsys):
    seen: list = []
    previous = install_excepthook()
    try:
        try:
            raise ZeroDivisionError("division by zero in a slot")
        except ZeroDivisionError as exc:
            close_next_message_box(seen)
            sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        sys.excepthook = previous
    ((icon, text, hint, details),) = seen
    assert icon == QMessageBox.Icon.Critical
    assert "division by zero in a slot" in text
    assert hint and "ZeroDivisionError" in details
    assert "ZeroDivisionError" in capsys.readouterr().err


def test_error_box_of_a_smartconf_error_has_no_details(qapp):
    box = error_box(DatabaseLocked("Locked.", hint="Retry."))
    assert (box.text(), box.informativeText(), box.detailedText()) == ("Locked.", "Retry.", "")


def _run(code: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_exit_after_first_paint_for_the_startup_benchmark(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SMARTCONF_EXIT_AFTER_PAINT": "1",
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "SMARTCONF_HOME": str(tmp_path)}
    started = time.perf_counter()
    result = _run("""
        import sys
        from smartconf.app import run_gui
        from smartconf.config import resolve_database_url, resolve_paths
        paths = resolve_paths()
        sys.exit(run_gui(resolve_database_url(None, paths), paths, ["smartconf"]))
        """, env)
    elapsed = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["painted"]
    assert (tmp_path / "smartconf.db").is_file()
    print(f"first paint after {elapsed:.2f} s (fresh database, including migration)")


def test_pyside_build_keeps_reference_counts(tmp_path):
    """PySide6 6.12.0 on Python 3.11 drops a reference to None/True per void call and per
    signal emission; the interpreter then aborts (PLATFORM-NOTES). This build must not."""
    result = _run("""
        from PySide6.QtCore import QCoreApplication, QObject, Signal

        class Emitter(QObject):
            fired = Signal()
            flagged = Signal(bool)

        app = QCoreApplication([])
        emitter = Emitter()
        received = []
        emitter.fired.connect(lambda: received.append(None))
        emitter.flagged.connect(received.append)
        for i in range(20_000):
            emitter.setObjectName(f"emitter {i}")
            emitter.fired.emit()
            emitter.flagged.emit(True)
        assert len(received) == 40_000
        print("ok")
        """, {**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "ok"
