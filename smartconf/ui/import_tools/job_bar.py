"""A progress bar, a status line and a Cancel button over a ``ProgressWorker``."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from smartconf.core.errors import SmartconfError
from smartconf.core.progress import Progress
from smartconf.services.contact_import import ImportCancelled
from smartconf.ui.errors import error_box
from smartconf.ui.invitations.progress_worker import JobFactory, ProgressWorker


class JobBar(QWidget):
    """Runs one job generator at a time; ``succeeded(result)``, ``cancelled()`` or
    ``failed(exception)`` (after showing it) follow, and ``running(bool)`` around it."""

    succeeded = Signal(object)
    cancelled = Signal()
    failed = Signal(object)
    running = Signal(bool)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.worker = ProgressWorker(self)
        self.worker.progress.connect(self._on_progress)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(220)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        layout.addWidget(self.status, 1)
        layout.addWidget(self.cancel_button)
        self._show_running(False)

    def is_running(self) -> bool:
        return self.worker.is_running()

    def start(self, make_job: JobFactory, message: str) -> None:
        """Run ``make_job(cancel)`` and say ``message`` until it reports progress."""
        self.bar.setRange(0, 0)
        self.status.setText(message)
        self.worker.start(make_job)
        self._show_running(True)

    def cancel(self) -> None:
        if self.worker.is_running():
            self.worker.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText(self.tr("Cancelling…"))

    def _on_progress(self, progress: Progress) -> None:
        if progress.total:
            self.bar.setRange(0, progress.total)
            self.bar.setValue(progress.done)
        if not self.worker.cancelling():
            self.status.setText(progress.message)

    def _on_finished(self, result: object) -> None:
        self._show_running(False)
        self.succeeded.emit(result)

    def _on_failed(self, exc: object) -> None:
        self._show_running(False)
        if isinstance(exc, ImportCancelled):
            self.status.setText(self.tr("Cancelled: nothing was written."))
            self.cancelled.emit()
            return
        self.status.setText(exc.message if isinstance(exc, SmartconfError) else
                            self.tr("The job failed; nothing was written."))
        error_box(exc, self.window()).open()
        self.failed.emit(exc)

    def _show_running(self, running: bool) -> None:
        self.bar.setVisible(running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.running.emit(running)
